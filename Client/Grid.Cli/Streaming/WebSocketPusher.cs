using Grid.Client;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;

namespace Grid.Cli.Streaming;

/// <summary>Pushes over one WebSocket ingest session: frames pipelined within the client's window, acknowledged in order.</summary>
public sealed class WebSocketPusher : IFramePusher
{
    private readonly IngestSession _session;
    private readonly Task _reading;

    private WebSocketPusher(IngestSession session, Action<IngestAck> onOutcome)
    {
        _session = session;
        _reading = Task.Run(async () =>
        {
            await foreach (IngestAck ack in session.ReadAcksAsync().ConfigureAwait(false))
            {
                onOutcome(ack);
            }
        });
    }

    public string Transport => "WebSocket";

    public static async Task<WebSocketPusher> OpenAsync(GridClient client, string stream, FrameQuality? quality, Action<IngestAck> onOutcome, CancellationToken cancellationToken)
    {
        IngestSession session = await client.OpenIngestAsync(stream, quality, cancellationToken).ConfigureAwait(false);
        return new WebSocketPusher(session, onOutcome);
    }

    public ValueTask SendAsync(long sequence, SourceFrame frame, CancellationToken cancellationToken) =>
        _session.SendAsync(sequence, frame.Kind, frame.Payload, cancellationToken);

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        await _session.CompleteAsync(cancellationToken).ConfigureAwait(false);
        await _reading.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _session.DisposeAsync().ConfigureAwait(false);
        await _reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
