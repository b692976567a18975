namespace Grid.TestServer;

/// <summary>A request as the server saw it arrive.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="Path">Path, e.g. <c>/v1/streams/cam/frames</c>.</param>
/// <param name="Query">Query string including '?', or empty.</param>
/// <param name="Headers">Request headers (first value of each).</param>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>A header's value, or null.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}
