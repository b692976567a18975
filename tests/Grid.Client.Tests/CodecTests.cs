using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Grid.TestServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Grid.Client.Tests;

public sealed class CodecTests
{
    [Fact]
    public async Task EncodeReturnsTheFrameAndItsModelVersion()
    {
        byte[] frame = [.. "VQF1"u8, 1, 2, 3];
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapPost("/v1/encode", (HttpContext context) =>
        {
            context.Response.Headers[GridHeaders.ModelVersion] = "12";
            return Results.Bytes(frame, GridMediaTypes.Frame);
        }));
        using GridClient client = TestClients.For(server);

        EncodeResult result = await client.EncodeAsync(TestImages.FakePng(16, 16));

        Assert.Equal(frame, result.Frame);
        Assert.Equal(12u, result.ModelVersion);
        Assert.Equal(GridMediaTypes.Png, server.Requests.Single().Header("Content-Type"));
    }

    [Fact]
    public async Task EncodeAndAppendSendTheQualityLevelOnlyWhenOneIsNamed()
    {
        byte[] frame = [.. "VQF1"u8, 1, 2, 3];
        await using ScriptedServer server = await ScriptedServer.StartAsync(app =>
        {
            app.MapPost("/v1/encode", (HttpContext context) =>
            {
                context.Response.Headers[GridHeaders.ModelVersion] = "1";
                return Results.Bytes(frame, GridMediaTypes.Frame);
            });
            app.MapPost("/v1/streams/cam/frames", () => Results.Json(new AppendResult(0, 1, 10, false), GridJson.Options, statusCode: 201));
        });
        using GridClient client = TestClients.For(server);

        await client.EncodeAsync(TestImages.FakePng(16, 16), FrameQuality.Max);
        await client.EncodeAsync(TestImages.FakePng(16, 16));
        await client.AppendAsync("cam", TestImages.FakePng(16, 16), 0, FrameQuality.Low);
        await client.AppendAsync("cam", TestImages.FakePng(16, 16), 1);

        Assert.Equal(["?quality=max", "", "?quality=low", ""], server.Requests.Select(r => r.Query));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.EncodeAsync(TestImages.FakePng(16, 16), (FrameQuality)7));
    }

    [Fact]
    public async Task DecodeAsksForTheFormatAndSendsAFrame()
    {
        byte[] jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 9, 9];
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapPost("/v1/decode", () => Results.Bytes(jpeg, GridMediaTypes.Jpeg)));
        using GridClient client = TestClients.For(server);

        byte[] image = await client.DecodeAsync("VQF1...."u8.ToArray(), ImageFormat.Jpeg);

        Assert.Equal(jpeg, image);
        RecordedRequest request = server.Requests.Single();
        Assert.Equal("?format=jpeg", request.Query);
        Assert.Equal(GridMediaTypes.Frame, request.Header("Content-Type"));
    }

    [Fact]
    public async Task BaseAddressWithAPathKeepsItsPrefix()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapGet("/grid/v1/models", () => ApiResults.Json(Array.Empty<ModelInfo>())));
        using GridClient client = TestClients.For(new Uri(server.BaseAddress, "grid"));

        IReadOnlyList<ModelInfo> models = await client.ListModelsAsync();

        Assert.Empty(models);
        Assert.Equal(new Uri(server.BaseAddress, "grid/"), client.BaseAddress);
    }
}
