using System.Globalization;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Grid.Imaging;
using Grid.Grains.Abstractions;
using Grid.Grains.Streams;
using Grid.Silo.Streams;
using Grid.Storage.Streams;
using Grid.Silo.Admission;
using Grid.Silo.Http;
using Grid.Silo.Options;
using Microsoft.Extensions.Options;

namespace Grid.Silo.Endpoints;

/// <summary>Appending to, describing, listing and reading streams (the WebSockets are in <see cref="LiveEndpoint"/> and <see cref="IngestEndpoint"/>).</summary>
internal static class StreamEndpoints
{
    /// <summary>Records written to the response between flushes of a replay.</summary>
    private const int ReplayBufferBytes = 64 * 1024;

    /// <summary>Frames a replay decodes ahead of the one it writes, so that its decodes batch in the codec.</summary>
    private const int ReplayDecodeWindow = 16;

    public static void MapStreamEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/streams/{stream}/frames", AppendAsync);
        routes.MapGet("/v1/streams", ListAsync);
        routes.MapGet("/v1/streams/{stream}", InfoAsync);
        routes.MapGet("/v1/streams/{stream}/frames", ReplayAsync);
        routes.MapGet("/v1/streams/{stream}/frames/{sequence}", GetFrameAsync);
        routes.MapDelete("/v1/streams/{stream}", DeleteAsync);
    }

    /// <summary>Deletes one of the caller's streams (frames, metadata, listing): 204, or 404 when it does not exist.</summary>
    private static async Task<IResult> DeleteAsync(HttpContext context, string stream, StreamAppender streams, TenantQuotas quotas)
    {
        string tenant = ApiRequest.Tenant(context);
        ApiRequest.Stream(stream);
        bool deleted = await streams.DeleteAsync(tenant, stream).WaitAsync(context.RequestAborted);
        quotas.Deleted(tenant);
        return deleted ? Results.NoContent() : throw ApiException.StreamNotFound(tenant, stream);
    }

    private static async Task AppendAsync(HttpContext context, string stream, StreamAppender streams, IOptions<SiloOptions> options, PixelAdmission admission, TenantQuotas quotas)
    {
        SiloOptions settings = options.Value;
        string tenant = ApiRequest.Tenant(context);
        ApiRequest.Stream(stream);
        long? sequence = ApiRequest.SequenceHeader(context);
        FrameQuality? requested = ApiRequest.Quality(context);
        byte[] body = await RequestBody.ReadAsync(context, settings.MaxBodyBytes);
        await quotas.CheckAppendAsync(tenant, stream, context.RequestAborted);
        StreamSession session = streams.Open(tenant, stream);
        StreamAppendReply outcome;
        if (ApiRequest.IsFrame(context, body))
        {
            // A frame was coded at its own level; a quality that says otherwise is a mistake, not a conversion.
            if (requested is { } named && VqfReader.TryReadInfo(body, out FrameInfo? info, out _) && info.Quality != named)
            {
                throw ApiException.InvalidArgument(
                    $"quality is '{FrameQualities.Name(named)}' but the frame was coded at '{FrameQualities.Name(info.Quality)}'; drop quality= to append a ready frame");
            }
            outcome = await session.AppendFrameAsync(body, sequence, context.RequestAborted);
        }
        else
        {
            FrameQuality quality = await session.QualityAsync(requested);
            using PixelLease lease = admission.AdmitImage(tenant, body, quality);
            RgbImage image = ImageFile.Decode(body, new ImageLimits(settings.MaxImageSide, settings.MaxImageSide));
            outcome = await session.AppendImageAsync(image, sequence, quality, waitForCapacity: false, context.RequestAborted);
        }
        if (outcome.ErrorCode is { } code)
        {
            throw new ApiException(ApiErrors.StatusOf(code), code, outcome.Message ?? code);
        }
        bool duplicate = outcome.Status == StreamAppendReply.Duplicate;
        if (!duplicate)
        {
            quotas.Stored(tenant, stream, outcome.Bytes);
        }
        HttpResponse response = context.Response;
        response.StatusCode = duplicate ? StatusCodes.Status200OK : StatusCodes.Status201Created;
        response.Headers[GridHeaders.Sequence] = outcome.Sequence.ToString(CultureInfo.InvariantCulture);
        response.Headers[GridHeaders.ModelVersion] = outcome.ModelVersion.ToString(CultureInfo.InvariantCulture);
        if (duplicate)
        {
            response.Headers[GridHeaders.Duplicate] = "true";
        }
        else
        {
            response.Headers.Location = $"/v1/streams/{stream}/frames/{outcome.Sequence.ToString(CultureInfo.InvariantCulture)}";
        }
        await response.WriteAsJsonAsync(new AppendResult(outcome.Sequence, outcome.ModelVersion, outcome.Bytes, duplicate), GridJson.Options, context.RequestAborted);
    }

    private static async Task<IResult> ListAsync(HttpContext context, StreamStore store)
    {
        string tenant = ApiRequest.Tenant(context);
        IReadOnlyList<StreamInfo> streams = await store.ListAsync(tenant, context.RequestAborted);
        return Results.Json(streams, GridJson.Options);
    }

    private static async Task<IResult> InfoAsync(HttpContext context, string stream, StreamStore store)
    {
        string tenant = ApiRequest.Tenant(context);
        ApiRequest.Stream(stream);
        StreamInfo info = await store.GetInfoAsync(tenant, stream, context.RequestAborted)
            ?? throw ApiException.StreamNotFound(tenant, stream);
        return Results.Json(info, GridJson.Options);
    }

    private static async Task ReplayAsync(HttpContext context, string stream, StreamStore store, StoredFrames frames, RecordDecoder decoder)
    {
        string tenant = ApiRequest.Tenant(context);
        ApiRequest.Stream(stream);
        long? from = ApiRequest.QuerySequence(context, "from");
        long? to = ApiRequest.QuerySequence(context, "to");
        if (from > to)
        {
            throw ApiException.InvalidArgument($"range from={from} to={to} is empty: from must not exceed to");
        }
        ImageFileFormat? format = ApiRequest.Format(context, allowFrame: true, fallback: null);
        CancellationToken aborted = context.RequestAborted;
        _ = await store.GetInfoAsync(tenant, stream, aborted) ?? throw ApiException.StreamNotFound(tenant, stream);

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = GridMediaTypes.Records;
        // Records are written as they are read (a page of the stream at a time), through a buffer so that small frames
        // do not cost a write each; nothing holds the whole replay.
        // Every record is a self-contained frame: entropy-coded frames are decoded in order (from the key frame before
        // `from` when it starts inside a group of frames) and handed out as the fixed-rate frames they code.
        StoredFrameChain chain = frames.OpenChain(tenant, stream);
        await using var body = new BufferedStream(context.Response.Body, ReplayBufferBytes);
        await RecordFormat.WriteMagicAsync(body, aborted);
        if (format is not { } imageFormat)
        {
            await foreach (StreamRecord record in store.ReplayAsync(tenant, stream, from, to, aborted))
            {
                await RecordFormat.WriteAsync(body, await chain.ToSelfContainedAsync(record, aborted), aborted);
            }
        }
        else
        {
            var window = new Queue<Task<StreamRecord>>(ReplayDecodeWindow);
            await foreach (StreamRecord record in store.ReplayAsync(tenant, stream, from, to, aborted))
            {
                window.Enqueue(decoder.ToImageAsync(await chain.ToSelfContainedAsync(record, aborted), imageFormat, aborted));
                if (window.Count >= ReplayDecodeWindow)
                {
                    await RecordFormat.WriteAsync(body, await window.Dequeue(), aborted);
                }
            }
            while (window.Count > 0)
            {
                await RecordFormat.WriteAsync(body, await window.Dequeue(), aborted);
            }
        }
        await body.FlushAsync(aborted);
    }

    private static async Task GetFrameAsync(HttpContext context, string stream, string sequence, StreamStore store, StoredFrames frames, RecordDecoder decoder)
    {
        string tenant = ApiRequest.Tenant(context);
        ApiRequest.Stream(stream);
        long seq = ApiRequest.RouteSequence(sequence);
        ImageFileFormat? format = ApiRequest.Format(context, allowFrame: true, fallback: null);
        StreamRecord record = await store.GetAsync(tenant, stream, seq, context.RequestAborted)
            ?? throw new ApiException(StatusCodes.Status404NotFound, Grid.Contracts.ErrorCodes.StreamNotFound,
                $"stream '{stream}' of tenant '{tenant}' holds no frame {seq}");
        record = await frames.OpenChain(tenant, stream).ToSelfContainedAsync(record, context.RequestAborted);
        if (format is { } imageFormat)
        {
            record = await decoder.ToImageAsync(record, imageFormat, context.RequestAborted);
        }
        HttpResponse response = context.Response;
        response.ContentType = format is { } f ? ApiRequest.MediaType(f) : GridMediaTypes.Frame;
        response.Headers[GridHeaders.Sequence] = record.Sequence.ToString(CultureInfo.InvariantCulture);
        response.Headers[GridHeaders.ModelVersion] = record.ModelVersion.ToString(CultureInfo.InvariantCulture);
        await response.Body.WriteAsync(record.Payload, context.RequestAborted);
    }
}
