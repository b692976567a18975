using System.Net;
using System.Text;
using Grid.Client.Http;
using Grid.Contracts;
using Grid.TestServer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Grid.Client.Tests;

public sealed class ErrorResponseTests
{
    [Fact]
    public async Task ApiErrorBodyBecomesCodeAndMessage()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapPost("/v1/streams/cam/frames", () =>
            ApiResults.Error(HttpStatusCode.Conflict, ErrorCodes.SequenceOutOfOrder, "sequence 3 is below the stream's last sequence 10")));
        using GridClient client = TestClients.For(server);

        GridApiException error = await Assert.ThrowsAsync<GridApiException>(() => client.AppendAsync("cam", TestImages.FakePng(4, 4), 3));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Equal(ErrorCodes.SequenceOutOfOrder, error.Code);
        Assert.Equal("sequence 3 is below the stream's last sequence 10", error.Message);
        Assert.Null(error.RetryAfter);
        Assert.Equal("409 sequence_out_of_order", error.Describe());
    }

    [Fact]
    public async Task NonJsonErrorBodyIsQuotedWithoutACode()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapGet("/v1/models", () =>
            Results.Text("<html>upstream exploded</html>", "text/html", Encoding.UTF8, StatusCodes.Status500InternalServerError)));
        using GridClient client = TestClients.For(server);

        GridApiException error = await Assert.ThrowsAsync<GridApiException>(() => client.ListModelsAsync());

        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Null(error.Code);
        Assert.Contains("HTTP 500", error.Message, StringComparison.Ordinal);
        Assert.Contains("upstream exploded", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.CountRequests("/v1/models"));
    }

    [Fact]
    public async Task MissingStreamIsNullButOther404sThrow()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync(app =>
        {
            app.MapGet("/v1/streams/gone", () => ApiResults.Error(HttpStatusCode.NotFound, ErrorCodes.StreamNotFound, "no stream 'gone'"));
            app.MapGet("/v1/streams/cam/frames/7", () => ApiResults.Error(HttpStatusCode.NotFound, ErrorCodes.StreamNotFound, "no sequence 7"));
            app.MapGet("/v1/models/9", () => ApiResults.Error(HttpStatusCode.NotFound, ErrorCodes.ModelNotFound, "no model 9"));
        });
        using GridClient client = TestClients.For(server);

        Assert.Null(await client.GetStreamAsync("gone"));
        Assert.Null(await client.GetFrameAsync("cam", 7));
        Assert.Null(await client.GetModelAsync(9));
        // A 404 without the API's code means the address is wrong, not that the stream is missing.
        GridApiException error = await Assert.ThrowsAsync<GridApiException>(() => client.GetStreamAsync("elsewhere"));
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Null(error.Code);
    }

    [Fact]
    public async Task SuccessWithoutTheExpectedJsonIsAProtocolError()
    {
        await using ScriptedServer server = await ScriptedServer.StartAsync(app => app.MapGet("/v1/status", () => Results.Text("[1,2,3]", "application/json")));
        using GridClient client = TestClients.For(server);

        GridProtocolException error = await Assert.ThrowsAsync<GridProtocolException>(() => client.GetStatusAsync());

        Assert.Contains("ClusterStatus", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"code\":\"queue_full\",\"message\":\"busy\"}", "queue_full", "busy")]
    [InlineData("{\"code\":\"\",\"message\":\"busy\"}", null, null)]
    [InlineData("{\"message\":\"busy\"}", null, null)]
    [InlineData("not json", null, null)]
    [InlineData("", null, null)]
    public void ErrorBodiesAreParsedOnlyWhenTheyCarryACode(string body, string? code, string? message)
    {
        ErrorResponse? parsed = ErrorResponses.TryParse(Encoding.UTF8.GetBytes(body));

        Assert.Equal(code, parsed?.Code);
        Assert.Equal(message, parsed?.Message);
    }
}
