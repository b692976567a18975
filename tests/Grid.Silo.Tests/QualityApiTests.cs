using System.Net;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Grid.Imaging;

namespace Grid.Silo.Tests;

/// <summary>The <c>quality</c> parameter of encode and stream appends (docs/api.md) against a real silo.</summary>
[Collection(SiloCollection.Name)]
public sealed class QualityApiTests(SiloFixture fixture)
{
    [Fact]
    public async Task EncodeAtEachLevelEqualsTheInProcessCodecAndDecodesToTheTrueSize()
    {
        RgbImage image = TestImages.Pattern(37, 23, seed: 8);

        foreach (FrameQuality quality in FrameQualities.All)
        {
            using HttpResponseMessage encoded = await fixture.Client.PostAsync(
                $"v1/encode?quality={FrameQualities.Name(quality).ToUpperInvariant()}", Api.Body(Png.Encode(image), GridMediaTypes.Png));
            Assert.Equal(HttpStatusCode.OK, encoded.StatusCode);
            byte[] frame = await encoded.Content.ReadAsByteArrayAsync();
            Assert.Equal(fixture.Codec.Encode(image, FrameCoding.Fixed, quality), frame);
            Assert.Equal(quality, VqfReader.ReadInfo(frame).Quality);

            using HttpResponseMessage decoded = await fixture.Client.PostAsync("v1/decode?format=ppm", Api.Body(frame, GridMediaTypes.Frame));
            Assert.Equal(HttpStatusCode.OK, decoded.StatusCode);
            RgbImage pixels = ImageFile.Decode(await decoded.Content.ReadAsByteArrayAsync());
            Assert.Equal((37, 23), (pixels.Width, pixels.Height));
            Assert.Equal(fixture.Codec.Decode(frame).Pixels, pixels.Pixels);
        }
    }

    [Theory]
    [InlineData("v1/encode?quality=ultra", "quality is 'ultra'; expected one of low, standard, high, max")]
    [InlineData("v1/encode?quality=2", "quality is '2'; expected one of low, standard, high, max")]
    [InlineData("v1/encode?quality=high&quality=low", "quality is 'high,low'; expected one of low, standard, high, max")]
    [InlineData("v1/encode?quality=", "quality is ''; expected one of low, standard, high, max")]
    [InlineData("v1/streams/cam/frames?quality=best", "quality is 'best'; expected one of low, standard, high, max")]
    public async Task ABadQualityIsRefusedWithTheApiErrorBody(string path, string message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Api.Body(Png.Encode(TestImages.Pattern(16, 16, seed: 1)), GridMediaTypes.Png) };
        request.Headers.Add(GridHeaders.Tenant, Api.NewTenant());

        using HttpResponseMessage response = await fixture.Client.SendAsync(request);

        ErrorResponse error = await Api.AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidArgument);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task AReadyFrameWhoseLevelDisagreesWithQualityIsRefused()
    {
        byte[] frame = fixture.Codec.Encode(TestImages.Pattern(16, 16, seed: 2), FrameCoding.Fixed, FrameQuality.Low);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/streams/cam/frames?quality=high") { Content = Api.Body(frame, GridMediaTypes.Frame) };
        request.Headers.Add(GridHeaders.Tenant, Api.NewTenant());

        using HttpResponseMessage response = await fixture.Client.SendAsync(request);

        ErrorResponse error = await Api.AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidArgument);
        Assert.Equal("quality is 'high' but the frame was coded at 'low'; drop quality= to append a ready frame", error.Message);
    }

    [Fact]
    public async Task AnIngestSocketEncodesItsImagesAtItsLevelAndTheNextSocketKeepsIt()
    {
        string tenant = Api.NewTenant();
        async Task SendAsync(string query, long sequence)
        {
            using System.Net.WebSockets.ClientWebSocket socket = await WebSocketClient.ConnectAsync(fixture.Silo.BaseAddress, tenant, "v1/streams/cam/ingest" + query);
            await socket.SendAsync(WebSocketClient.IngestMessage(sequence, 0, TestImages.Png(32, 24, seed: (int)sequence)), System.Net.WebSockets.WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
            Assert.Equal("stored", (await WebSocketClient.ReceiveAckAsync(socket)).Status);
            await WebSocketClient.CloseAsync(socket);
        }

        await SendAsync("?quality=low", 0);
        await SendAsync(string.Empty, 1); // no level: the stream's, low

        List<StreamRecord> stored = await fixture.Client.ReplayAsync(tenant, "cam");
        Assert.Equal([FrameQuality.Low, FrameQuality.Low], stored.Select(r => VqfReader.ReadInfo(r.Payload).Quality));
        Assert.Equal(fixture.Codec.Encode(TestImages.Pattern(32, 24, 1), FrameCoding.Fixed, FrameQuality.Low), stored[1].Payload);
    }
}
