using System.Net;
using System.Net.WebSockets;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Grid.Imaging;

namespace Grid.Silo.Tests;

/// <summary>Every 4xx of docs/api.md: status and error code.</summary>
[Collection(SiloCollection.Name)]
public sealed class ErrorPathTests(SiloFixture fixture)
{
    private HttpClient Client => fixture.Client;

    private static Task<HttpResponseMessage> Post(HttpClient client, string path, byte[] body, string mediaType = GridMediaTypes.Png) =>
        client.PostAsync(path, Api.Body(body, mediaType));

    /// <summary>A valid frame of the silo's model 1 with its indices replaced (and the CRC recomputed).</summary>
    private byte[] FrameWith(Func<FrameInfo, FrameInfo> header, ushort index)
    {
        FrameInfo info = header(VqfReader.ReadInfo(fixture.Codec.Encode(TestImages.Pattern(8, 8))));
        return VqfWriter.Write(info, Enumerable.Repeat(index, info.IndexCount).ToArray());
    }

    [Fact]
    public async Task EncodeOfUnknownBytesIs400ImageInvalid() =>
        await Api.AssertErrorAsync(await Post(Client, "v1/encode", "GIF89a...."u8.ToArray()), HttpStatusCode.BadRequest, "image_invalid");

    [Fact]
    public async Task EncodeOfACorruptPngIs400ImageInvalid()
    {
        byte[] png = TestImages.Png(16, 16);
        await Api.AssertErrorAsync(await Post(Client, "v1/encode", png[..(png.Length / 2)]), HttpStatusCode.BadRequest, "image_invalid");
    }

    [Fact]
    public async Task EncodeOfAnEmptyBodyIs400ImageEmpty() =>
        await Api.AssertErrorAsync(await Post(Client, "v1/encode", []), HttpStatusCode.BadRequest, "image_empty");

    [Fact]
    public async Task EncodeOfAnImageAboveMaxImageSideIs413ImageTooLarge() =>
        await Api.AssertErrorAsync(await Post(Client, "v1/encode", Ppm.Encode(new RgbImage(SiloFixture.MaxImageSide + 1, 4))), HttpStatusCode.RequestEntityTooLarge, "image_too_large");

    /// <summary>
    /// Oversized uploads are sent with "Expect: 100-continue", as clients of large bodies should: the silo refuses from
    /// the Content-Length before the body is sent. Without it the 413 still comes, but the server closes the connection
    /// rather than read the body, and a client still writing sees a broken pipe instead of the answer.
    /// </summary>
    private static async Task<HttpResponseMessage> PostOversized(HttpClient client, HttpRequestMessage request)
    {
        request.Headers.ExpectContinue = true;
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task EncodeOfABodyAboveMaxBodyBytesIs413BodyTooLarge() =>
        await Api.AssertErrorAsync(
            await PostOversized(Client, new HttpRequestMessage(HttpMethod.Post, "v1/encode") { Content = Api.Body(new byte[SiloFixture.MaxBodyBytes + 1], GridMediaTypes.Png) }),
            HttpStatusCode.RequestEntityTooLarge, "body_too_large");

    [Fact]
    public async Task AChunkedBodyAboveMaxBodyBytesIs413BodyTooLarge()
    {
        var content = new StreamContent(new MemoryStream(new byte[SiloFixture.MaxBodyBytes + 1]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/encode") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        await Api.AssertErrorAsync(await PostOversized(Client, request), HttpStatusCode.RequestEntityTooLarge, "body_too_large");
    }

    [Fact]
    public async Task DecodeOfATruncatedFrameIs400FrameTruncated()
    {
        byte[] frame = fixture.Codec.Encode(TestImages.Pattern(16, 16));
        await Api.AssertErrorAsync(await Post(Client, "v1/decode", frame[..^3], GridMediaTypes.Frame), HttpStatusCode.BadRequest, "frame_truncated");
    }

    [Fact]
    public async Task DecodeOfACorruptedFrameIs400FrameChecksum()
    {
        byte[] frame = fixture.Codec.Encode(TestImages.Pattern(16, 16));
        frame[^1] ^= 0x01;
        await Api.AssertErrorAsync(await Post(Client, "v1/decode", frame, GridMediaTypes.Frame), HttpStatusCode.BadRequest, "frame_checksum");
    }

    [Fact]
    public async Task DecodeOfSomethingElseIs400FrameInvalid() =>
        await Api.AssertErrorAsync(await Post(Client, "v1/decode", TestImages.Png(40, 40), GridMediaTypes.Frame), HttpStatusCode.BadRequest, "frame_invalid");

    [Fact]
    public async Task DecodeToAnUnknownFormatIs400InvalidArgument() =>
        await Api.AssertErrorAsync(await Post(Client, "v1/decode?format=gif", fixture.Codec.Encode(TestImages.Pattern(8, 8)), GridMediaTypes.Frame), HttpStatusCode.BadRequest, "invalid_argument");

    [Fact]
    public async Task DecodeOfAFrameOfAnUnknownModelIs404ModelNotFound() =>
        await Api.AssertErrorAsync(await Post(Client, "v1/decode", FrameWith(i => i with { ModelVersion = 77 }, 1), GridMediaTypes.Frame), HttpStatusCode.NotFound, "model_not_found");

    [Fact]
    public async Task DecodeOfAnIndexBeyondTheCodebookIs422IndexOutOfRange() =>
        await Api.AssertErrorAsync(await Post(Client, "v1/decode", FrameWith(i => i, TinyModel.CodebookSize + 3), GridMediaTypes.Frame), HttpStatusCode.UnprocessableEntity, "index_out_of_range");

    [Fact]
    public async Task DecodeOfAFrameWithAnotherFingerprintIs422ModelVersionMismatch() =>
        await Api.AssertErrorAsync(await Post(Client, "v1/decode", FrameWith(i => i with { ModelFingerprint = i.ModelFingerprint ^ 1 }, 1), GridMediaTypes.Frame), HttpStatusCode.UnprocessableEntity, "model_version_mismatch");

    [Fact]
    public async Task DecodeOfAFrameAboveMaxImageSideIs413ImageTooLarge() =>
        await Api.AssertErrorAsync(await Post(Client, "v1/decode", FrameWith(i => i with { Width = SiloFixture.MaxImageSide + 4, Height = 4 }, 1), GridMediaTypes.Frame), HttpStatusCode.RequestEntityTooLarge, "image_too_large");

    [Fact]
    public async Task AppendOfAFrameAboveMaxImageSideIs413ImageTooLarge() =>
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Append(Api.NewTenant(), "s", FrameWith(i => i with { Width = 4, Height = SiloFixture.MaxImageSide + 4 }, 1), mediaType: GridMediaTypes.Frame)), HttpStatusCode.RequestEntityTooLarge, "image_too_large");

    [Fact]
    public async Task AppendOfACorruptImageIs400ImageInvalid() =>
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Append(Api.NewTenant(), "s", [0xFF, 0xD8, 0xFF, 0, 1])), HttpStatusCode.BadRequest, "image_invalid");

    [Fact]
    public async Task AppendOfAnEmptyBodyIs400ImageEmpty() =>
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Append(Api.NewTenant(), "s", [])), HttpStatusCode.BadRequest, "image_empty");

    [Fact]
    public async Task AppendOfACorruptedFrameIs400FrameChecksum()
    {
        byte[] frame = fixture.Codec.Encode(TestImages.Pattern(16, 16));
        frame[40] ^= 0x10;
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Append(Api.NewTenant(), "s", frame, mediaType: GridMediaTypes.Frame)), HttpStatusCode.BadRequest, "frame_checksum");
    }

    [Fact]
    public async Task AppendOfAFrameOfAnUnknownModelIs404ModelNotFound() =>
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Append(Api.NewTenant(), "s", FrameWith(i => i with { ModelVersion = 9 }, 1), mediaType: GridMediaTypes.Frame)), HttpStatusCode.NotFound, "model_not_found");

    [Fact]
    public async Task AppendOfAFrameWithAnotherFingerprintIs422ModelVersionMismatch() =>
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Append(Api.NewTenant(), "s", FrameWith(i => i with { ModelFingerprint = 12345 }, 1), mediaType: GridMediaTypes.Frame)), HttpStatusCode.UnprocessableEntity, "model_version_mismatch");

    [Fact]
    public async Task AppendOfAFrameWithAnIndexBeyondTheCodebookIs422IndexOutOfRange() =>
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Append(Api.NewTenant(), "s", FrameWith(i => i, 511), mediaType: GridMediaTypes.Frame)), HttpStatusCode.UnprocessableEntity, "index_out_of_range");

    [Fact]
    public async Task AppendWithABadSequenceHeaderIs400InvalidArgument()
    {
        foreach (string bad in new[] { "-1", "abc", "9223372036854775808" })
        {
            using HttpRequestMessage request = Api.Append(Api.NewTenant(), "s", TestImages.Png(8, 8));
            request.Headers.Add(GridHeaders.Sequence, bad);
            await Api.AssertErrorAsync(await Client.SendAsync(request), HttpStatusCode.BadRequest, "invalid_argument");
        }
    }

    [Fact]
    public async Task AppendToABadStreamNameIs400InvalidArgument() =>
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Append(Api.NewTenant(), "bad%20name", TestImages.Png(8, 8))), HttpStatusCode.BadRequest, "invalid_argument");

    [Fact]
    public async Task AppendWithABadTenantIs400InvalidArgument() =>
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Append("no/slashes", "s", TestImages.Png(8, 8))), HttpStatusCode.BadRequest, "invalid_argument");

    [Fact]
    public async Task AppendBelowTheLastSequenceIs409SequenceOutOfOrder()
    {
        string tenant = Api.NewTenant();
        await Client.AppendAsync(tenant, "s", TestImages.Png(8, 8), sequence: 10);
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Append(tenant, "s", TestImages.Png(8, 8), sequence: 9)), HttpStatusCode.Conflict, "sequence_out_of_order");
    }

    [Fact]
    public async Task AppendOfAnotherSizeIs409DimensionMismatch()
    {
        string tenant = Api.NewTenant();
        await Client.AppendAsync(tenant, "s", TestImages.Png(8, 8));
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Append(tenant, "s", TestImages.Png(12, 8))), HttpStatusCode.Conflict, "dimension_mismatch");
    }

    [Fact]
    public async Task AppendOfABodyAboveMaxBodyBytesIs413BodyTooLarge() =>
        await Api.AssertErrorAsync(await PostOversized(Client, Api.Append(Api.NewTenant(), "s", new byte[SiloFixture.MaxBodyBytes + 1])), HttpStatusCode.RequestEntityTooLarge, "body_too_large");

    [Fact]
    public async Task AppendOfAnImageAboveMaxImageSideIs413ImageTooLarge() =>
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Append(Api.NewTenant(), "s", Ppm.Encode(new RgbImage(4, SiloFixture.MaxImageSide + 1)))), HttpStatusCode.RequestEntityTooLarge, "image_too_large");

    [Fact]
    public async Task InfoOfAnUnknownStreamIs404StreamNotFound() =>
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Get(Api.NewTenant(), "v1/streams/nope")), HttpStatusCode.NotFound, "stream_not_found");

    [Fact]
    public async Task ReplayOfAnUnknownStreamIs404StreamNotFound() =>
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Get(Api.NewTenant(), "v1/streams/nope/frames")), HttpStatusCode.NotFound, "stream_not_found");

    [Fact]
    public async Task ReplayWithABadRangeIs400InvalidArgument()
    {
        string tenant = Api.NewTenant();
        await Client.AppendAsync(tenant, "s", TestImages.Png(8, 8));
        foreach (string query in new[] { "?from=5&to=2", "?from=-1", "?to=x" })
        {
            await Api.AssertErrorAsync(await Client.SendAsync(Api.Get(tenant, "v1/streams/s/frames" + query)), HttpStatusCode.BadRequest, "invalid_argument");
        }
    }

    [Fact]
    public async Task ReplayWithABadFormatIs400InvalidArgument()
    {
        string tenant = Api.NewTenant();
        await Client.AppendAsync(tenant, "s", TestImages.Png(8, 8));
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Get(tenant, "v1/streams/s/frames?format=bmp")), HttpStatusCode.BadRequest, "invalid_argument");
    }

    [Fact]
    public async Task GetFrameOfAnUnknownStreamIs404StreamNotFound() =>
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Get(Api.NewTenant(), "v1/streams/nope/frames/0")), HttpStatusCode.NotFound, "stream_not_found");

    [Fact]
    public async Task GetFrameOfAnUnknownSequenceIs404StreamNotFound()
    {
        string tenant = Api.NewTenant();
        await Client.AppendAsync(tenant, "s", TestImages.Png(8, 8));
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Get(tenant, "v1/streams/s/frames/1")), HttpStatusCode.NotFound, "stream_not_found");
    }

    [Fact]
    public async Task GetFrameWithABadSequenceIs400InvalidArgument() =>
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Get(Api.NewTenant(), "v1/streams/s/frames/first")), HttpStatusCode.BadRequest, "invalid_argument");

    [Fact]
    public async Task LiveWithoutAWebSocketUpgradeIs400InvalidArgument()
    {
        string tenant = Api.NewTenant();
        await Client.AppendAsync(tenant, "s", TestImages.Png(8, 8));
        await Api.AssertErrorAsync(await Client.SendAsync(Api.Get(tenant, "v1/streams/s/live")), HttpStatusCode.BadRequest, "invalid_argument");
    }

    [Fact]
    public async Task LiveOfAnUnknownStreamIs404BeforeTheUpgrade()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new Uri(fixture.Silo.BaseAddress.ToString().Replace("http://", "ws://", StringComparison.Ordinal) + $"v1/streams/nope/live?tenant={Api.NewTenant()}&access_token={Grid.TestSupport.SiloProcess.TestAdminKey}");
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, socket.HttpStatusCode);
    }

    [Fact]
    public async Task ModelOfAnUnknownVersionIs404ModelNotFound() =>
        await Api.AssertErrorAsync(await Client.GetAsync("v1/models/4242"), HttpStatusCode.NotFound, "model_not_found");

    [Fact]
    public async Task ModelWithABadVersionIs400InvalidArgument() =>
        await Api.AssertErrorAsync(await Client.GetAsync("v1/models/latest"), HttpStatusCode.BadRequest, "invalid_argument");
}
