#!/usr/bin/env bash
# Prints everything of the host's network state a leak would change, for a before/after diff
# (`make test` around the .NET tests, the e2e flow around itself). Chain counters are dropped
# (traffic moves them); namespaces are not listed (other test runs add and remove theirs).
echo "## links"; ip -br link
echo "## addresses"; ip -br addr
echo "## routes"; ip route show table all; ip -6 route show table all
echo "## rules"; ip rule; ip -6 rule
echo "## sysctl"; sysctl -n net.ipv4.ip_forward net.ipv4.conf.all.forwarding
echo "## iptables"
{ iptables-save; ip6tables-save; } 2>/dev/null | sed -E '/^#/d; s/\[[0-9]+:[0-9]+\]//'
