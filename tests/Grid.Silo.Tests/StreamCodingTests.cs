using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Grid.Entropy;
using Grid.Imaging;
using Grid.Storage.Streams;
using Grid.TestSupport;

namespace Grid.Silo.Tests;

/// <summary>
/// Streams entropy-coded by their grain (VQF v2, docs/entropy-coding.md "Streams"): real video frames through a real
/// silo with the shipped model and prior, read back as the exact fixed-rate frames and pixels.
/// </summary>
[Collection(CodedStreamCollection.Name)]
public sealed class StreamCodingTests(CodedStreamFixture fixture)
{
    private const int Gop = CodedStreamFixture.KeyFrameEvery;

    [Fact]
    public async Task AVideoStreamIsStoredCodedAndReplaysToTheFixedRateFramesAndPixels()
    {
        string tenant = Api.NewTenant();
        var replies = new List<AppendResult>();
        for (int i = 0; i < CodedStreamFixture.Frames; i++)
        {
            replies.Add(await fixture.Client.AppendAsync(tenant, "cam", fixture.Png[i], sequence: i));
        }

        // Stored: key frames every Gop frames, inter frames against the frame before (and, from the second inter frame
        // of a group on, the one before that too: coding 4), all smaller than fixed rate.
        for (int i = 0; i < CodedStreamFixture.Frames; i++)
        {
            EntropyFrameHeader header = await StoredHeaderAsync(tenant, "cam", i);
            Assert.Equal(i % Gop >= 2 ? FrameCoding.MixingHistory : FrameCoding.Mixing, header.Coding);
            Assert.Equal(i % Gop == 0 ? FrameKind.Key : FrameKind.Inter, header.Kind);
            Assert.Equal(i % Gop == 0 ? 0UL : (ulong)(i - 1), header.ReferenceSequence);
            Assert.Equal(header.FrameLength, replies[i].Bytes);
            Assert.True(replies[i].Bytes < fixture.Fixed[i].Length, $"frame {i}: {replies[i].Bytes} bytes coded, {fixture.Fixed[i].Length} fixed");
        }
        using HttpResponseMessage described = await fixture.Client.SendAsync(Api.Get(tenant, "v1/streams/cam"));
        StreamInfo info = (await described.Content.ReadFromJsonAsync<StreamInfo>(GridJson.Options))!;
        Assert.Equal(replies.Sum(r => (long)r.Bytes), info.StoredBytes);

        // Replayed: exactly the fixed-rate frames, and as images exactly their pixels.
        List<StreamRecord> frames = await fixture.Client.ReplayAsync(tenant, "cam");
        List<StreamRecord> images = await fixture.Client.ReplayAsync(tenant, "cam", "?format=png");
        Assert.Equal(Enumerable.Range(0, CodedStreamFixture.Frames).Select(i => (long)i), frames.Select(r => r.Sequence));
        for (int i = 0; i < CodedStreamFixture.Frames; i++)
        {
            Assert.Equal(fixture.Fixed[i], frames[i].Payload);
            Assert.Equal(fixture.Pixels[i], Png.Decode(images[i].Payload).Pixels);
        }
    }

    [Fact]
    public async Task ReplayAndSingleFramesFromInsideAGroupReadBackToItsKeyFrame()
    {
        string tenant = Api.NewTenant();
        await AppendAsync(tenant, "cam", 0, 2 * Gop);
        int from = Gop + 3; // three inter frames after the second key frame

        List<StreamRecord> replay = await fixture.Client.ReplayAsync(tenant, "cam", $"?from={from}&to={from + 2}");
        using HttpResponseMessage single = await fixture.Client.SendAsync(Api.Get(tenant, $"v1/streams/cam/frames/{from + 1}"));
        using HttpResponseMessage image = await fixture.Client.SendAsync(Api.Get(tenant, $"v1/streams/cam/frames/{from + 2}?format=png"));

        Assert.Equal([from, from + 1, from + 2], replay.Select(r => (int)r.Sequence));
        Assert.Equal([fixture.Fixed[from], fixture.Fixed[from + 1], fixture.Fixed[from + 2]], replay.Select(r => r.Payload));
        Assert.Equal(fixture.Fixed[from + 1], await single.Content.ReadAsByteArrayAsync());
        Assert.Equal(fixture.Pixels[from + 2], Png.Decode(await image.Content.ReadAsByteArrayAsync()).Pixels);
    }

    [Fact]
    public async Task LiveFromInsideAGroupSendsSelfContainedFramesThenNewOnes()
    {
        string tenant = Api.NewTenant();
        await AppendAsync(tenant, "cam", 0, Gop + 2);
        using ClientWebSocket socket = await WebSocketClient.ConnectAsync(fixture.Silo.BaseAddress, tenant, $"v1/streams/cam/live?from={Gop - 3}");

        var received = new List<StreamRecord>();
        for (int i = Gop - 3; i < Gop + 2; i++)
        {
            received.Add(await WebSocketClient.ReceiveRecordAsync(socket));
        }
        await AppendAsync(tenant, "cam", Gop + 2, Gop + 4);
        received.Add(await WebSocketClient.ReceiveRecordAsync(socket));
        received.Add(await WebSocketClient.ReceiveRecordAsync(socket));

        Assert.Equal(Enumerable.Range(Gop - 3, 7).Select(i => (long)i), received.Select(r => r.Sequence));
        for (int i = 0; i < received.Count; i++)
        {
            Assert.Equal(fixture.Fixed[Gop - 3 + i], received[i].Payload);
        }
        await WebSocketClient.CloseAsync(socket);
    }

    [Fact]
    public async Task ARetryAfterAnInterFrameIsADuplicateAndTheNextFrameCodesAgainstTheStoredOne()
    {
        string tenant = Api.NewTenant();
        List<AppendResult> first = await AppendAsync(tenant, "cam", 0, 4);

        // Frame 3 (an inter frame) and frame 1 sent again: the same answers as the first time, nothing stored.
        using HttpResponseMessage retry = await fixture.Client.SendAsync(Api.Append(tenant, "cam", fixture.Png[3], 3));
        AppendResult again = (await retry.Content.ReadFromJsonAsync<AppendResult>(GridJson.Options))!;
        AppendResult older = await fixture.Client.AppendAsync(tenant, "cam", fixture.Png[1], sequence: 1);
        await AppendAsync(tenant, "cam", 4, 5);

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal((3L, first[3].Bytes, true), (again.Sequence, again.Bytes, again.Duplicate));
        Assert.Equal((1L, first[1].Bytes, true), (older.Sequence, older.Bytes, older.Duplicate));
        EntropyFrameHeader next = await StoredHeaderAsync(tenant, "cam", 4);
        Assert.Equal((FrameKind.Inter, 3UL), (next.Kind, next.ReferenceSequence));
        List<StreamRecord> replay = await fixture.Client.ReplayAsync(tenant, "cam");
        Assert.Equal(fixture.Fixed.Take(5), replay.Select(r => r.Payload));
    }

    [Fact]
    public async Task AFrameBehindTheStreamIsRejectedAndAGapStartsAKeyFrame()
    {
        string tenant = Api.NewTenant();
        await AppendAsync(tenant, "cam", 0, 3);
        await fixture.Client.AppendAsync(tenant, "cam", fixture.Png[5], sequence: 5);

        using HttpResponseMessage late = await fixture.Client.SendAsync(Api.Append(tenant, "cam", fixture.Png[4], 4));
        await Api.AssertErrorAsync(late, HttpStatusCode.Conflict, ErrorCodes.SequenceOutOfOrder);
        await fixture.Client.AppendAsync(tenant, "cam", fixture.Png[6], sequence: 6);

        Assert.Equal(FrameKind.Key, (await StoredHeaderAsync(tenant, "cam", 5)).Kind);
        Assert.Equal((FrameKind.Inter, 5UL), ((await StoredHeaderAsync(tenant, "cam", 6)).Kind, (await StoredHeaderAsync(tenant, "cam", 6)).ReferenceSequence));
        List<StreamRecord> replay = await fixture.Client.ReplayAsync(tenant, "cam");
        Assert.Equal([0L, 1, 2, 5, 6], replay.Select(r => r.Sequence));
        Assert.Equal(new[] { 0, 1, 2, 5, 6 }.Select(i => fixture.Fixed[i]), replay.Select(r => r.Payload));
    }

    [Fact]
    public async Task AStreamOfFixedRateFramesStoredBeforeCodingContinuesCodedAndDecodesWhole()
    {
        string tenant = Api.NewTenant();
        // What the silo stored before streams were coded: VQF v1 frames as they came.
        for (int i = 0; i < 3; i++)
        {
            byte[] frame = fixture.Fixed[i];
            FrameInfo info = VqfReader.ReadInfo(frame);
            await fixture.Store.AppendAsync(tenant, "old", new FrameToAppend(i, info.ModelVersion, info.Width, info.Height, frame));
        }

        await AppendAsync(tenant, "old", 3, 6);

        EntropyFrameHeader firstCoded = await StoredHeaderAsync(tenant, "old", 3);
        Assert.Equal((FrameKind.Inter, 2UL), (firstCoded.Kind, firstCoded.ReferenceSequence)); // against the stored v1 frame
        List<StreamRecord> replay = await fixture.Client.ReplayAsync(tenant, "old");
        List<StreamRecord> images = await fixture.Client.ReplayAsync(tenant, "old", "?from=2&format=png");
        Assert.Equal(fixture.Fixed.Take(6), replay.Select(r => r.Payload));
        Assert.Equal(fixture.Pixels.Skip(2).Take(4), images.Select(r => Png.Decode(r.Payload).Pixels));
    }

    [Fact]
    public async Task AGrainReactivatedOnAnotherSiloContinuesCodingAgainstTheStoredLastFrame()
    {
        string tenant = Api.NewTenant();
        await using (SiloProcess other = await fixture.StartSiloAsync("coded-b"))
        {
            using HttpClient b = other.CreateClient();
            for (int i = 0; i < 5; i++)
            {
                await b.AppendAsync(tenant, "cam", fixture.Png[i], sequence: i); // the grain lives on coded-b
            }
            other.Kill();
        }

        // Through the surviving silo: the append waits until membership moves the grain here, which reads frame 4 back.
        await AppendAsync(tenant, "cam", 5, 7);

        // The chain read back from the stored frames gives both references: frames 4 and 3.
        EntropyFrameHeader header = await StoredHeaderAsync(tenant, "cam", 5);
        Assert.Equal((FrameKind.Inter, 4UL, FrameCoding.MixingHistory), (header.Kind, header.ReferenceSequence, header.Coding));
        List<StreamRecord> replay = await fixture.Client.ReplayAsync(tenant, "cam");
        Assert.Equal(fixture.Fixed.Take(7), replay.Select(r => r.Payload));
    }

    [Fact]
    public async Task ACorruptStoredFrameFailsWithAClearErrorNotAWrongImage()
    {
        string tenant = Api.NewTenant();
        await AppendAsync(tenant, "good", 0, Gop + 1);
        List<StreamRecord> stored = await ReadStoredAsync(tenant, "good");

        // Frame 1 with a flipped payload bit (its CRC no longer matches); frame 1 after another key frame 0 than the one
        // it was coded against (every frame intact: only decoding against the wrong reference can notice); and frame 2,
        // coded against frames 1 and 0 (coding 4), after a frame 1 that is a key frame: its second reference is missing.
        byte[] flipped = (byte[])stored[1].Payload.Clone();
        flipped[^3] ^= 0x10;
        await StoreAsync(tenant, "flipped", stored[0], stored[1] with { Payload = flipped });
        await StoreAsync(tenant, "misnamed", stored[Gop] with { Sequence = 0 }, stored[1]);
        await StoreAsync(tenant, "rechained", stored[0], stored[0] with { Sequence = 1 }, stored[2]);
        using HttpResponseMessage flippedFrame = await fixture.Client.SendAsync(Api.Get(tenant, "v1/streams/flipped/frames/1?format=png"));
        using HttpResponseMessage wrongReference = await fixture.Client.SendAsync(Api.Get(tenant, "v1/streams/misnamed/frames/1"));
        using HttpResponseMessage missingSecond = await fixture.Client.SendAsync(Api.Get(tenant, "v1/streams/rechained/frames/2"));
        using ClientWebSocket socket = await WebSocketClient.ConnectAsync(fixture.Silo.BaseAddress, tenant, "v1/streams/flipped/live?from=0");
        StreamRecord intact = await WebSocketClient.ReceiveRecordAsync(socket);
        (WebSocketMessageType Type, byte[] Data)? closed = await WebSocketClient.ReceiveAsync(socket, TimeSpan.FromSeconds(30));

        ErrorResponse checksum = await Api.AssertErrorAsync(flippedFrame, HttpStatusCode.InternalServerError, ErrorCodes.FrameChecksum);
        Assert.Contains($"stored frame 1 of stream {tenant}/flipped", checksum.Message, StringComparison.Ordinal);
        ErrorResponse indices = await Api.AssertErrorAsync(wrongReference, HttpStatusCode.InternalServerError, ErrorCodes.FrameInvalid);
        Assert.Contains($"stored frame 1 of stream {tenant}/misnamed does not decode", indices.Message, StringComparison.Ordinal);
        ErrorResponse chain = await Api.AssertErrorAsync(missingSecond, HttpStatusCode.InternalServerError, ErrorCodes.Internal);
        Assert.Contains($"stored frame 2 of stream {tenant}/rechained does not decode: frame 2 is coded against frame 1 and the frames of its group before it; frame 1 was not decoded as an inter frame after 0", chain.Message, StringComparison.Ordinal);
        Assert.Equal(fixture.Fixed[0], intact.Payload);
        Assert.Null(closed); // closed by the server instead of sending frame 1
        Assert.Equal(WebSocketCloseStatus.InternalServerError, socket.CloseStatus);
        Assert.StartsWith(ErrorCodes.FrameChecksum, socket.CloseStatusDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FixedRateStorageStaysSelectablePerSilo()
    {
        string tenant = Api.NewTenant();
        await using SiloProcess fixedSilo = await fixture.StartSiloAsync("fixed", "Streams:Coding=Fixed");
        using HttpClient client = fixedSilo.CreateClient();

        AppendResult reply = await client.AppendAsync(tenant, "cam", fixture.Png[0], sequence: 0);
        await client.AppendAsync(tenant, "cam", fixture.Png[1], sequence: 1);

        List<StreamRecord> stored = await ReadStoredAsync(tenant, "cam");
        Assert.Equal(fixture.Fixed.Take(2), stored.Select(r => r.Payload)); // stored as encoded: VQF v1
        Assert.Equal(fixture.Fixed[0].Length, reply.Bytes);
    }

    private async Task<List<AppendResult>> AppendAsync(string tenant, string stream, int from, int to)
    {
        var replies = new List<AppendResult>();
        for (int i = from; i < to; i++)
        {
            replies.Add(await fixture.Client.AppendAsync(tenant, stream, fixture.Png[i], sequence: i));
        }
        return replies;
    }

    [Fact]
    public async Task AStreamAppendedAtTwoLevelsKeepsItsLevelMakesKeyFramesAtChangesAndReplaysEachFrame()
    {
        string tenant = Api.NewTenant();
        // (frame, the quality= it is appended with, the level it must be coded at): the stream keeps its last level.
        (int Frame, string? Asked, FrameQuality Level)[] plan =
        [
            (0, null, FrameQuality.Standard), (1, null, FrameQuality.Standard), (2, "high", FrameQuality.High),
            (3, null, FrameQuality.High), (4, "high", FrameQuality.High), (5, "standard", FrameQuality.Standard), (6, null, FrameQuality.Standard),
        ];
        var expected = new List<byte[]>();
        foreach ((int frame, string? asked, FrameQuality level) in plan)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/streams/cam/frames{(asked is null ? string.Empty : "?quality=" + asked)}")
            {
                Content = Api.Body(fixture.Png[frame], GridMediaTypes.Png),
            };
            request.Headers.Add(GridHeaders.Tenant, tenant);
            using HttpResponseMessage response = await fixture.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            using HttpResponseMessage encoded = await fixture.Client.PostAsync(
                $"v1/encode?quality={FrameQualities.Name(level)}", Api.Body(fixture.Png[frame], GridMediaTypes.Png));
            expected.Add(await encoded.Content.ReadAsByteArrayAsync());
        }

        // Stored: a key frame where the level changes (2 and 5), inter frames within a level.
        FrameKind[] kinds = [FrameKind.Key, FrameKind.Inter, FrameKind.Key, FrameKind.Inter, FrameKind.Inter, FrameKind.Key, FrameKind.Inter];
        for (int i = 0; i < plan.Length; i++)
        {
            EntropyFrameHeader header = await StoredHeaderAsync(tenant, "cam", i);
            Assert.Equal((plan[i].Level, kinds[i]), (header.Info.Quality, header.Kind));
        }

        // Replayed: each frame exactly the fixed-rate frame of its level, and as an image the true size.
        List<StreamRecord> frames = await fixture.Client.ReplayAsync(tenant, "cam");
        List<StreamRecord> images = await fixture.Client.ReplayAsync(tenant, "cam", "?format=png");
        for (int i = 0; i < plan.Length; i++)
        {
            Assert.Equal(expected[i], frames[i].Payload);
            using HttpResponseMessage decoded = await fixture.Client.PostAsync("v1/decode", Api.Body(expected[i], GridMediaTypes.Frame));
            Assert.Equal(await decoded.Content.ReadAsByteArrayAsync(), images[i].Payload);
            RgbImage image = Png.Decode(images[i].Payload);
            Assert.Equal(Png.Decode(fixture.Png[i]).Width, image.Width);
        }
    }

    private async Task<EntropyFrameHeader> StoredHeaderAsync(string tenant, string stream, long sequence)
    {
        StreamRecord record = await fixture.Store.GetAsync(tenant, stream, sequence) ?? throw new InvalidOperationException($"no frame {sequence}");
        return EntropyFrames.ReadHeader(record.Payload).Entropy ?? throw new InvalidOperationException($"frame {sequence} is not VQF v2");
    }

    private async Task<List<StreamRecord>> ReadStoredAsync(string tenant, string stream)
    {
        var records = new List<StreamRecord>();
        await foreach (StreamRecord record in fixture.Store.ReplayAsync(tenant, stream, null, null))
        {
            records.Add(record);
        }
        return records;
    }

    private async Task StoreAsync(string tenant, string stream, params StreamRecord[] records)
    {
        FrameInfo info = VqfReader.ReadInfo(fixture.Fixed[0]); // the size every frame of the video has
        foreach (StreamRecord record in records)
        {
            await fixture.Store.AppendAsync(tenant, stream, new FrameToAppend(record.Sequence, record.ModelVersion, info.Width, info.Height, record.Payload));
        }
    }
}
