using System.Net;
using Grid.Contracts;
using Grid.Contracts.Api;
using Grid.TestSupport;

namespace Grid.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class OverloadTests(SiloFixture fixture)
{
    [Fact]
    public async Task AFloodGets429WithRetryAfterAndNever5xx()
    {
        await using SiloProcess silo = await fixture.StartSiloAsync("overload", "MaxQueue=2", "MaxBatch=1", "MaxDelayMs=0");
        using HttpClient client = silo.CreateClient();
        byte[] png = TestImages.Png(256, 256, seed: 7);
        byte[] expected = fixture.Codec.Encode(TestImages.Pattern(256, 256, 7));

        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 64)
            .Select(_ => client.PostAsync("v1/encode", Api.Body(png, GridMediaTypes.Png))));

        try
        {
            Assert.DoesNotContain(responses, r => (int)r.StatusCode >= 500);
            Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"unexpected {(int)r.StatusCode}"));
            HttpResponseMessage[] refused = [.. responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests)];
            HttpResponseMessage[] served = [.. responses.Where(r => r.StatusCode == HttpStatusCode.OK)];
            Assert.NotEmpty(refused);
            Assert.NotEmpty(served);
            foreach (HttpResponseMessage response in refused)
            {
                Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "429 without a Retry-After of at least 1 s");
                await Api.AssertErrorAsync(response, HttpStatusCode.TooManyRequests, ErrorCodes.QueueFull);
            }
            foreach (HttpResponseMessage response in served)
            {
                Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync());
            }
        }
        finally
        {
            foreach (HttpResponseMessage response in responses)
            {
                response.Dispose();
            }
        }
    }
}
