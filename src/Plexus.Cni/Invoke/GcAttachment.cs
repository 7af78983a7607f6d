namespace Plexus.Cni.Invoke;

/// <summary>An attachment that is still in use, sent to plugins on GC as <c>cni.dev/valid-attachments</c>.</summary>
public sealed record GcAttachment(string ContainerId, string IfName);
