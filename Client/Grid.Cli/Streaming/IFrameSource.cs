namespace Grid.Cli.Streaming;

/// <summary>Frames to push, in order.</summary>
public interface IFrameSource : IDisposable
{
    /// <summary>What the source is, e.g. "video vtest.avi (768x576, 795 frames)".</summary>
    string Description { get; }

    /// <summary>How many frames it holds, when known in advance.</summary>
    int? Count { get; }

    /// <summary>The frames, read (and prepared) ahead of the consumer.</summary>
    IAsyncEnumerable<SourceFrame> ReadAsync(CancellationToken cancellationToken);
}
