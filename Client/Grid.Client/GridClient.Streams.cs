using System.Globalization;
using System.Net;
using Grid.Client.Http;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;

namespace Grid.Client;

public sealed partial class GridClient
{
    /// <summary>
    /// Appends one frame to a stream (created on its first frame): an image file, encoded by the current model, or a
    /// VQF frame, stored as is after validation.
    /// </summary>
    /// <param name="stream">The stream name (1..128 of letters, digits, '.', '_', '-').</param>
    /// <param name="imageOrFrame">An image file (PNG, JPEG, PPM) or a VQF frame; told apart by their first bytes.</param>
    /// <param name="sequence">
    /// The frame's sequence number (0 or more), which makes the append idempotent: a repeat answers with
    /// <see cref="AppendResult.Duplicate"/> set and changes nothing, so it is retried like a read. Null lets the server
    /// pick last + 1; such an append is retried only when it certainly was not stored.
    /// </param>
    /// <param name="cancellationToken">Cancels the request and any retry wait.</param>
    /// <returns>Where the frame is stored; a duplicate describes the frame stored earlier. Both are success.</returns>
    /// <exception cref="GridApiException">
    /// The server refused: <c>sequence_out_of_order</c> (409, a lower number that was never stored), <c>dimension_mismatch</c>,
    /// image or frame errors, <c>queue_full</c> after the retries.
    /// </exception>
    /// <exception cref="GridConnectionException">No silo answered.</exception>
    /// <exception cref="TimeoutException">No answer in time (a sequence-less append is then not retried).</exception>
    public Task<AppendResult> AppendAsync(string stream, ReadOnlyMemory<byte> imageOrFrame, long? sequence = null, CancellationToken cancellationToken = default) =>
        AppendAsync(stream, imageOrFrame, sequence, quality: null, cancellationToken);

    /// <summary>
    /// Appends an image (encoded by the server at <paramref name="quality"/>) or a ready VQF frame to a stream. A
    /// stream keeps the level of its last frame: an append with a null level is encoded at it (standard for a new
    /// stream), and a change of level starts a key frame (docs/api.md).
    /// </summary>
    /// <param name="stream">The stream name.</param>
    /// <param name="imageOrFrame">A PNG, JPEG or PPM file, or a VQF frame.</param>
    /// <param name="sequence">The sequence number (null: the server picks last + 1).</param>
    /// <param name="quality">The level for an image; null: the stream's. A frame carries its own, which this must not contradict.</param>
    /// <param name="cancellationToken">Cancels the request and any retry wait.</param>
    /// <returns>Where the frame is stored; a duplicate describes the frame stored earlier.</returns>
    /// <exception cref="GridApiException">The server refused (see the overload without a level; <c>invalid_argument</c> for a level a frame contradicts).</exception>
    /// <exception cref="GridConnectionException">No silo answered.</exception>
    public async Task<AppendResult> AppendAsync(string stream, ReadOnlyMemory<byte> imageOrFrame, long? sequence, FrameQuality? quality, CancellationToken cancellationToken = default)
    {
        ThrowIfBadStreamName(stream);
        if (quality is { } level && !FrameQualities.IsDefined(level))
        {
            throw new ArgumentOutOfRangeException(nameof(quality), quality, $"not a defined quality level: {FrameQualities.Names}");
        }
        if (sequence < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "a sequence number is 0 or more (null lets the server pick)");
        }
        if (imageOrFrame.IsEmpty)
        {
            throw new ArgumentException("the image or frame is empty (0 bytes)", nameof(imageOrFrame));
        }
        string path = ApiPaths.WithQuality(ApiPaths.Frames(stream), quality);
        HttpRequestMessage CreateRequest()
        {
            HttpRequestMessage request = Request(HttpMethod.Post, path, ContentTypes.Body(imageOrFrame));
            if (sequence is { } number)
            {
                request.Headers.Add(GridHeaders.Sequence, number.ToString(CultureInfo.InvariantCulture));
            }
            return request;
        }
        RetrySafety safety = sequence is null ? RetrySafety.OnlyIfNotProcessed : RetrySafety.Idempotent;
        using HttpResponseMessage response = await SendAsync(CreateRequest, cancellationToken, safety).ConfigureAwait(false);
        AppendResult result = await ReadJsonAsync<AppendResult>(response, cancellationToken).ConfigureAwait(false);
        // The header and the body say the same; trust either, in case a proxy rewrote one.
        bool duplicateHeader = response.Headers.TryGetValues(GridHeaders.Duplicate, out IEnumerable<string>? values)
            && values.Any(value => value.Equals("true", StringComparison.OrdinalIgnoreCase));
        return duplicateHeader && !result.Duplicate ? result with { Duplicate = true } : result;
    }

    /// <summary>A stream's metadata, or null when the stream does not exist.</summary>
    /// <param name="stream">The stream name.</param>
    /// <param name="cancellationToken">Cancels the request and any retry wait.</param>
    public Task<StreamInfo?> GetStreamAsync(string stream, CancellationToken cancellationToken = default)
    {
        ThrowIfBadStreamName(stream);
        return FindJsonAsync<StreamInfo>(ApiPaths.Stream(stream), ErrorCodes.StreamNotFound, cancellationToken);
    }

    /// <summary>
    /// Deletes one of the tenant's streams: every frame, its metadata and its listing (the name can be used again,
    /// starting at sequence 0). Retried like a read: deleting twice deletes once.
    /// </summary>
    /// <param name="stream">The stream's name.</param>
    /// <param name="cancellationToken">Cancels the request and any retry wait.</param>
    /// <returns>False when the stream did not exist.</returns>
    public async Task<bool> DeleteStreamAsync(string stream, CancellationToken cancellationToken = default)
    {
        ThrowIfBadStreamName(stream);
        try
        {
            using HttpResponseMessage response = await SendAsync(() => Request(HttpMethod.Delete, ApiPaths.Stream(stream)), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (GridApiException exception) when (exception.StatusCode == System.Net.HttpStatusCode.NotFound && exception.Code == ErrorCodes.StreamNotFound)
        {
            return false;
        }
    }

    /// <summary>Every stream of the client's tenant.</summary>
    /// <param name="cancellationToken">Cancels the request and any retry wait.</param>
    public async Task<IReadOnlyList<StreamInfo>> ListStreamsAsync(CancellationToken cancellationToken = default) =>
        await GetJsonAsync<List<StreamInfo>>(ApiPaths.Streams, cancellationToken).ConfigureAwait(false);

    /// <summary>One stored frame by sequence number, or null when the stream or the sequence number does not exist.</summary>
    /// <param name="stream">The stream name.</param>
    /// <param name="sequence">The frame's sequence number.</param>
    /// <param name="format">The VQF frame as stored (default), or the image decoded by the frame's own model version.</param>
    /// <param name="cancellationToken">Cancels the request and any retry wait.</param>
    public async Task<StoredFrame?> GetFrameAsync(string stream, long sequence, PayloadFormat format = PayloadFormat.Vqf, CancellationToken cancellationToken = default)
    {
        ThrowIfBadStreamName(stream);
        ThrowIfBadRange(sequence, null);
        string path = ApiPaths.Frame(stream, sequence, format);
        HttpResponseMessage response;
        try
        {
            response = await SendAsync(() => Request(HttpMethod.Get, path), cancellationToken).ConfigureAwait(false);
        }
        catch (GridApiException exception) when (exception.StatusCode == HttpStatusCode.NotFound && exception.Code == ErrorCodes.StreamNotFound)
        {
            return null;
        }
        using (response)
        {
            byte[] payload = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            long version = NumericHeader(response, GridHeaders.ModelVersion)
                ?? throw new GridProtocolException($"{Describe(response)} answered without an {GridHeaders.ModelVersion} header");
            return new StoredFrame(NumericHeader(response, GridHeaders.Sequence) ?? sequence, checked((uint)version), payload);
        }
    }
}
