using Grid.Client;

namespace Grid.Cli.Streaming;

/// <summary>One frame to push: an image file's bytes (or a VQF frame) and where it came from.</summary>
/// <param name="Name">The file name, or "frame N" of a video, for messages.</param>
/// <param name="Payload">The bytes to upload.</param>
/// <param name="Kind">An image (encoded by the silo) or a VQF frame (stored as is).</param>
public sealed record SourceFrame(string Name, byte[] Payload, IngestFrameKind Kind);
