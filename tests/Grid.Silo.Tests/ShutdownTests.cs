using System.Net;
using System.Net.WebSockets;
using Grid.Contracts.Api;
using Grid.TestSupport;

namespace Grid.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class ShutdownTests(SiloFixture fixture)
{
    [Fact]
    public async Task SigtermFinishesQueuedRequestsBeforeExiting()
    {
        SiloProcess silo = await fixture.StartSiloAsync("draining", "MaxBatch=1", "MaxDelayMs=0", "MaxQueue=64");
        await using (silo)
        {
            using HttpClient client = silo.CreateClient();
            string tenant = Api.NewTenant();
            await client.AppendAsync(tenant, "cam", TestImages.Png(16, 16));
            using ClientWebSocket live = await WebSocketClient.ConnectAsync(silo.BaseAddress, tenant, "v1/streams/cam/live");
            byte[] png = TestImages.Png(512, 512, seed: 2);
            byte[] expected = fixture.Codec.Encode(TestImages.Pattern(512, 512, 2));
            Task<HttpResponseMessage>[] requests = [.. Enumerable.Range(0, 16).Select(_ => client.PostAsync("v1/encode", Api.Body(png, GridMediaTypes.Png)))];
            await WaitForQueueAsync(client);

            await silo.TerminateAsync();
            HttpResponseMessage[] responses = await Task.WhenAll(requests);
            var closed = await WebSocketClient.ReceiveAsync(live, TimeSpan.FromSeconds(30));
            int exitCode = await silo.WaitForExitAsync(TimeSpan.FromSeconds(40));

            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            foreach (HttpResponseMessage response in responses)
            {
                Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
                response.Dispose();
            }
            Assert.Equal(0, exitCode);
            Assert.Null(closed);
            Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, live.CloseStatus);
            Assert.Contains("Codec queue drained", silo.LogText(), StringComparison.Ordinal);
        }
    }

    /// <summary>Waits until the silo reports queued codec work, so the SIGTERM lands while requests wait.</summary>
    private static async Task WaitForQueueAsync(HttpClient client)
    {
        for (int i = 0; i < 200; i++)
        {
            string metrics = await client.GetStringAsync("metrics");
            if (!metrics.Contains("\ngrid_codec_queue_depth 0\n", StringComparison.Ordinal))
            {
                return;
            }
            await Task.Delay(10);
        }
        Assert.Fail("the codec queue never filled");
    }
}
