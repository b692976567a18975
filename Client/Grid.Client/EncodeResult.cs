namespace Grid.Client;

/// <summary>An image compressed by the server.</summary>
/// <param name="Frame">The VQF frame.</param>
/// <param name="ModelVersion">The model version that encoded it (<c>X-Grid-Model-Version</c>).</param>
public sealed record EncodeResult(byte[] Frame, uint ModelVersion);
