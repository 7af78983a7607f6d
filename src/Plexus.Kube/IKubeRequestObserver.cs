namespace Plexus.Kube;

/// <summary>
/// Told about every object request a live client sends (plexusd counts and times them); the one-shot thin plugin
/// passes none and pays nothing.
/// </summary>
public interface IKubeRequestObserver
{
    /// <param name="verb">get, list, watch, create, patch... (see <see cref="KubeRequestLabels"/>).</param>
    /// <param name="resource">pods, pods/status, events, network-attachment-definitions.</param>
    /// <param name="code">The HTTP status, <c>transport_error</c> or <c>timeout</c> (a request its caller cancelled is not reported).</param>
    void Completed(string verb, string resource, string code, TimeSpan elapsed);
}
