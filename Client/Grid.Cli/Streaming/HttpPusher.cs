using System.Net;
using Grid.Client;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;

namespace Grid.Cli.Streaming;

/// <summary>
/// Pushes with one POST per frame, one request at a time: the API stores a stream's frames in arrival order and
/// refuses a lower sequence number after a higher one (409 <c>sequence_out_of_order</c>), so concurrent POSTs to one
/// stream could lose frames. Reading and encoding the next frames overlaps the request (the source reads ahead).
/// </summary>
public sealed class HttpPusher(GridClient client, string stream, FrameQuality? quality, Action<IngestAck> onOutcome) : IFramePusher
{
    public string Transport => "HTTP";

    public async ValueTask SendAsync(long sequence, SourceFrame frame, CancellationToken cancellationToken)
    {
        try
        {
            AppendResult result = await client.AppendAsync(stream, frame.Payload, sequence, quality, cancellationToken).ConfigureAwait(false);
            onOutcome(new IngestAck(result.Sequence, result.Duplicate ? IngestStatus.Duplicate : IngestStatus.Stored, result.ModelVersion, result.Bytes));
        }
        catch (GridApiException exception) when (IsRefusalOfThisFrame(exception.StatusCode))
        {
            // The frame itself was refused (bad image, wrong size, out of order): an outcome, as on the WebSocket.
            onOutcome(new IngestAck(sequence, IngestStatus.Error, Code: exception.Code, Message: exception.Message));
        }
    }

    public Task CompleteAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static bool IsRefusalOfThisFrame(HttpStatusCode status) =>
        status is HttpStatusCode.BadRequest or HttpStatusCode.Conflict or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnprocessableEntity;
}
