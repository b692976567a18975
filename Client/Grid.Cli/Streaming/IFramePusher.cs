namespace Grid.Cli.Streaming;

/// <summary>A transport that appends frames to one stream; outcomes arrive through the callback it was made with.</summary>
public interface IFramePusher : IAsyncDisposable
{
    /// <summary>"WebSocket" or "HTTP", for the summary.</summary>
    string Transport { get; }

    /// <summary>Sends one frame; may return before its outcome is known (pipelining).</summary>
    ValueTask SendAsync(long sequence, SourceFrame frame, CancellationToken cancellationToken);

    /// <summary>Waits until every frame sent has its outcome, then closes cleanly.</summary>
    Task CompleteAsync(CancellationToken cancellationToken);
}
