using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Grid.TestServer;

/// <summary>
/// A small in-memory silo that follows docs/api.md for streams (appends with idempotent sequence numbers, replay,
/// single frames, live and ingest WebSockets, listing) and answers models and status, so client programs can be
/// tested end to end over real sockets without the codec. It does not compress: it stores each upload's bytes and
/// hands them back as the payload in every format, and reports the size a real VQF frame of the image would have.
/// Images must be PNG or binary PPM (their size is read from the header); VQF uploads are validated and stored as is.
/// </summary>
public sealed class FakeSilo
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Tenant, string Stream), FakeStream> _streams = [];
    private readonly List<AppendLogEntry> _appends = [];

    /// <summary>The model version that "encodes" uploaded images.</summary>
    public uint ModelVersion { get; init; } = 3;

    /// <summary>Every append in arrival order, over HTTP and ingest alike.</summary>
    public IReadOnlyList<AppendLogEntry> Appends
    {
        get
        {
            lock (_lock)
            {
                return [.. _appends];
            }
        }
    }

    /// <summary>Starts a <see cref="ScriptedServer"/> serving a new fake silo.</summary>
    public static async Task<(ScriptedServer Server, FakeSilo Silo)> StartAsync(Action<WebApplication>? extraRoutes = null)
    {
        var silo = new FakeSilo();
        ScriptedServer server = await ScriptedServer.StartAsync(app =>
        {
            extraRoutes?.Invoke(app);
            silo.Map(app);
        });
        return (server, silo);
    }

    /// <summary>Maps the API's stream, model and status routes onto <paramref name="app"/>.</summary>
    public void Map(IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/v1/streams/{stream}/frames", AppendOverHttpAsync);
        app.MapGet("/v1/streams", (HttpContext context) => ApiResults.Json(List(TenantOf(context))));
        app.MapGet("/v1/streams/{stream}", (HttpContext context, string stream) =>
            Find(TenantOf(context), stream) is { } info ? ApiResults.Json(info) : NotFound(stream));
        app.MapGet("/v1/streams/{stream}/frames", ReplayAsync);
        app.MapGet("/v1/streams/{stream}/frames/{sequence:long}", GetFrame);
        app.Map("/v1/streams/{stream}/live", LiveAsync);
        app.Map("/v1/streams/{stream}/ingest", IngestAsync);
        app.MapGet("/v1/models", () => ApiResults.Json(new[] { Model() }));
        app.MapGet("/v1/status", (HttpContext context) => ApiResults.Json(new ClusterStatus(
            [new SiloInfo("fake-1", "127.0.0.1:11111@1", "active", "http://127.0.0.1", "cpu", ModelVersion, 2, 64, 17, 1250, DateTimeOffset.UtcNow)],
            "fake-1", ModelVersion, List(TenantOf(context)))));
    }

    private ModelInfo Model() => new(ModelVersion, true, null, DateTimeOffset.UnixEpoch, "0badcafe");

    private static string TenantOf(HttpContext context) =>
        context.Request.Headers[GridHeaders.Tenant].FirstOrDefault() ?? context.Request.Query["tenant"].FirstOrDefault() ?? StreamNames.DefaultTenant;

    private static IResult NotFound(string stream) =>
        ApiResults.Error(HttpStatusCode.NotFound, ErrorCodes.StreamNotFound, $"stream '{stream}' does not exist");

    private async Task<IResult> AppendOverHttpAsync(HttpContext context, string stream)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        long? sequence = long.TryParse(context.Request.Headers[GridHeaders.Sequence].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out long number)
            ? number
            : null;
        bool isFrame = context.Request.ContentType == GridMediaTypes.Frame;
        Outcome outcome = Append(TenantOf(context), stream, sequence, isFrame, body.ToArray(), "http");
        if (outcome.Error is { } error)
        {
            return ApiResults.Error(outcome.Status, error.Code, error.Message);
        }
        if (outcome.Result!.Duplicate)
        {
            context.Response.Headers[GridHeaders.Duplicate] = "true";
        }
        return ApiResults.Json(outcome.Result, outcome.Result.Duplicate ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    private Outcome Append(string tenant, string stream, long? sequence, bool isFrame, byte[] payload, string transport)
    {
        if (StreamNames.Problem(stream, "stream") is { } nameProblem)
        {
            return Outcome.Fail(HttpStatusCode.BadRequest, ErrorCodes.InvalidArgument, nameProblem);
        }
        if (!TryMeasure(payload, isFrame, out int width, out int height, out ErrorResponse? problem))
        {
            return Outcome.Fail(HttpStatusCode.BadRequest, problem.Code, problem.Message);
        }
        lock (_lock)
        {
            if (!_streams.TryGetValue((tenant, stream), out FakeStream? target))
            {
                target = new FakeStream(tenant, stream, width, height);
                _streams[(tenant, stream)] = target;
            }
            long assigned = sequence ?? target.Last + 1;
            Outcome outcome;
            if (target.Frames.TryGetValue(assigned, out StoredRecord? stored))
            {
                outcome = Outcome.Ok(new AppendResult(assigned, stored.Record.ModelVersion, stored.Bytes, Duplicate: true));
            }
            else if (assigned < target.Last)
            {
                outcome = Outcome.Fail(HttpStatusCode.Conflict, ErrorCodes.SequenceOutOfOrder,
                    $"sequence {assigned} is below the stream's last sequence {target.Last} and was never stored");
            }
            else if (width != target.Width || height != target.Height)
            {
                outcome = Outcome.Fail(HttpStatusCode.Conflict, ErrorCodes.DimensionMismatch,
                    $"the frame is {width}x{height}; stream '{stream}' is {target.Width}x{target.Height}");
            }
            else
            {
                int bytes = new FrameInfo(ModelVersion, 0, width, height).FrameLength;
                var record = new StreamRecord(assigned, ModelVersion, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), payload);
                target.Store(new StoredRecord(record, bytes));
                outcome = Outcome.Ok(new AppendResult(assigned, ModelVersion, bytes, Duplicate: false));
            }
            _appends.Add(new AppendLogEntry(tenant, stream, sequence, transport, outcome.Result?.Duplicate == true ? "duplicate" : outcome.Error is null ? "stored" : outcome.Error.Code));
            return outcome;
        }
    }

    private static bool TryMeasure(byte[] payload, bool isFrame, out int width, out int height, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out ErrorResponse? problem)
    {
        width = height = 0;
        problem = null;
        if (payload.Length == 0)
        {
            problem = new ErrorResponse(ErrorCodes.ImageEmpty, "the request carried no bytes");
            return false;
        }
        if (isFrame || payload.AsSpan().StartsWith(VqfFormat.Magic))
        {
            if (!VqfReader.TryReadInfo(payload, out FrameInfo? info, out FrameFormatException? error))
            {
                problem = ErrorResponse.FromFrameError(error);
                return false;
            }
            (width, height) = (info.Width, info.Height);
            return true;
        }
        if (payload.Length >= 24 && payload.AsSpan().StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]))
        {
            width = BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(16));
            height = BinaryPrimitives.ReadInt32BigEndian(payload.AsSpan(20));
            return true;
        }
        if (payload.Length > 2 && payload[0] == 'P' && payload[1] is (byte)'5' or (byte)'6')
        {
            string[] fields = System.Text.Encoding.ASCII.GetString(payload, 2, Math.Min(64, payload.Length - 2))
                .Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && int.TryParse(fields[0], CultureInfo.InvariantCulture, out width) && int.TryParse(fields[1], CultureInfo.InvariantCulture, out height))
            {
                return true;
            }
        }
        problem = new ErrorResponse(ErrorCodes.ImageInvalid, "not a PNG, PPM or VQF upload");
        return false;
    }

    private StreamInfo? Find(string tenant, string stream)
    {
        lock (_lock)
        {
            return _streams.TryGetValue((tenant, stream), out FakeStream? found) ? found.Info() : null;
        }
    }

    private List<StreamInfo> List(string tenant)
    {
        lock (_lock)
        {
            return [.. _streams.Values.Where(s => s.Tenant == tenant).OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => s.Info())];
        }
    }

    /// <summary>Stored records of a stream from <paramref name="from"/> to <paramref name="to"/>; null when the stream does not exist.</summary>
    private List<StreamRecord>? Range(string tenant, string stream, long from, long to)
    {
        lock (_lock)
        {
            return _streams.TryGetValue((tenant, stream), out FakeStream? found)
                ? [.. found.Frames.Where(pair => pair.Key >= from && pair.Key <= to).Select(pair => pair.Value.Record)]
                : null;
        }
    }

    private async Task ReplayAsync(HttpContext context, string stream)
    {
        long from = long.TryParse(context.Request.Query["from"], CultureInfo.InvariantCulture, out long first) ? first : 0;
        long to = long.TryParse(context.Request.Query["to"], CultureInfo.InvariantCulture, out long last) ? last : long.MaxValue;
        if (Range(TenantOf(context), stream, from, to) is not { } records)
        {
            await NotFound(stream).ExecuteAsync(context);
            return;
        }
        context.Response.ContentType = GridMediaTypes.Records;
        await RecordFormat.WriteMagicAsync(context.Response.Body, context.RequestAborted);
        foreach (StreamRecord record in records)
        {
            await RecordFormat.WriteAsync(context.Response.Body, record, context.RequestAborted);
        }
    }

    private IResult GetFrame(HttpContext context, string stream, long sequence)
    {
        if (Range(TenantOf(context), stream, sequence, sequence) is not [StreamRecord record])
        {
            return NotFound(stream);
        }
        context.Response.Headers[GridHeaders.Sequence] = sequence.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers[GridHeaders.ModelVersion] = record.ModelVersion.ToString(CultureInfo.InvariantCulture);
        return Results.Bytes(record.Payload, GridMediaTypes.Frame);
    }

    private async Task LiveAsync(HttpContext context, string stream)
    {
        string tenant = TenantOf(context);
        FakeStream? target;
        lock (_lock)
        {
            _streams.TryGetValue((tenant, stream), out target);
        }
        if (target is null)
        {
            await NotFound(stream).ExecuteAsync(context);
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        using var closed = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        // The client sends nothing but its close; seeing it (or the connection end) stops the subscription.
        _ = Task.Run(async () =>
        {
            try
            {
                await socket.ReceiveAsync(new byte[16], closed.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
                // The connection is gone either way.
            }
            await closed.CancelAsync();
        });
        long next;
        lock (_lock)
        {
            next = long.TryParse(context.Request.Query["from"], CultureInfo.InvariantCulture, out long from) ? from : target.Last + 1;
        }
        try
        {
            while (!closed.IsCancellationRequested)
            {
                Task changed;
                List<StreamRecord> records;
                lock (_lock)
                {
                    changed = target.Changed;
                    records = [.. target.Frames.Where(pair => pair.Key >= next).Select(pair => pair.Value.Record)];
                }
                foreach (StreamRecord record in records)
                {
                    await socket.SendAsync(RecordFormat.Encode(record), WebSocketMessageType.Binary, true, closed.Token);
                    next = record.Sequence + 1;
                }
                await changed.WaitAsync(closed.Token);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException)
        {
            // The subscriber left.
        }
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        }
    }

    private async Task IngestAsync(HttpContext context, string stream)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        string tenant = TenantOf(context);
        using WebSocket socket = await context.WebSockets.AcceptWebSocketAsync();
        byte[] buffer = new byte[1 << 20];
        while (true)
        {
            int length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
                result = await socket.ReceiveAsync(buffer.AsMemory(length), context.RequestAborted);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return;
            }
            if (length < 9)
            {
                await socket.CloseAsync(WebSocketCloseStatus.InvalidMessageType, "an ingest message has a 9-byte header", CancellationToken.None);
                return;
            }
            long sequence = BinaryPrimitives.ReadInt64LittleEndian(buffer);
            Outcome outcome = Append(tenant, stream, sequence < 0 ? null : sequence, buffer[8] == 1, buffer[9..length], "ws");
            IngestAck ack = outcome.Error is { } error
                ? new IngestAck(sequence, "error", Code: error.Code, Message: error.Message)
                : new IngestAck(outcome.Result!.Sequence, outcome.Result.Duplicate ? "duplicate" : "stored", outcome.Result.ModelVersion, outcome.Result.Bytes);
            await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(ack, GridJson.Options), WebSocketMessageType.Text, true, context.RequestAborted);
        }
    }

    private sealed record Outcome(HttpStatusCode Status, AppendResult? Result, ErrorResponse? Error)
    {
        public static Outcome Ok(AppendResult result) => new(HttpStatusCode.OK, result, null);

        public static Outcome Fail(HttpStatusCode status, string code, string message) => new(status, null, new ErrorResponse(code, message));
    }

    private sealed record StoredRecord(StreamRecord Record, int Bytes);

    private sealed class FakeStream(string tenant, string name, int width, int height)
    {
        private readonly DateTimeOffset _created = DateTimeOffset.UtcNow;
        private DateTimeOffset _updated = DateTimeOffset.UtcNow;
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Tenant { get; } = tenant;

        public string Name { get; } = name;

        public int Width { get; } = width;

        public int Height { get; } = height;

        public SortedDictionary<long, StoredRecord> Frames { get; } = [];

        public long Last { get; private set; } = -1;

        /// <summary>Completes at the next stored frame (callers hold the silo's lock when they take it).</summary>
        public Task Changed => _changed.Task;

        public void Store(StoredRecord record)
        {
            Frames[record.Record.Sequence] = record;
            Last = Math.Max(Last, record.Record.Sequence);
            _updated = DateTimeOffset.UtcNow;
            TaskCompletionSource previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            previous.SetResult();
        }

        public StreamInfo Info() =>
            new(Tenant, Name, Frames.Count, Last, Width, Height, Frames.Values.Sum(f => (long)f.Bytes), _created, _updated);
    }
}

/// <summary>One append the fake silo received.</summary>
/// <param name="Tenant">The tenant.</param>
/// <param name="Stream">The stream.</param>
/// <param name="Sequence">The sequence number the client sent (null: auto).</param>
/// <param name="Transport">"http" or "ws".</param>
/// <param name="Outcome">"stored", "duplicate" or the error code.</param>
public sealed record AppendLogEntry(string Tenant, string Stream, long? Sequence, string Transport, string Outcome);
