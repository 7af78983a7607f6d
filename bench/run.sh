#!/usr/bin/env bash
# Runs the whole-process benchmarks (each next to its same-run baseline) and writes
# bench/results/latest.json. Pass-through args: --iterations N --only version,...
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project bench/Plexus.Bench -- "$@"
