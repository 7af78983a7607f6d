using Plexus.NodeAgent.Doctor;
using Plexus.NodeAgent.Generation;

namespace Plexus.NodeAgent.Watch;

/// <summary>One pass of the watch loop: what generation did, and the doctor's findings it was based on.</summary>
public sealed record WatchPass(GenerateOutcome Outcome, IReadOnlyList<Finding> Findings);
