using System.Net;
using System.Net.Http.Json;
using Grid.Contracts.Api;
using Grid.TestSupport;

namespace Grid.Silo.Tests;

/// <summary>ASP.NET Core rate limiting per tenant key and on admin routes: 429 rate_limited with Retry-After.</summary>
[Collection(SiloCollection.Name)]
public sealed class RateLimitTests(SiloFixture fixture)
{
    [Fact]
    public async Task ATenantBeyondItsRateGets429WhileOthersAndAdminsGoOn()
    {
        await using SiloProcess silo = await fixture.StartSiloAsync("limited",
            "Limits:RequestsPerSecond=1", "Limits:RequestBurst=2", "Limits:AdminRequestsPerMinute=3");
        using HttpClient admin = silo.CreateClient();
        // Keys live in the shared Redis: one made through another silo works here at once.
        string greedy = await CreateKeyAsync(fixture.Client, Api.NewTenant());
        string other = await CreateKeyAsync(fixture.Client, Api.NewTenant());
        using HttpClient greedyClient = silo.CreateClient(greedy);
        using HttpClient otherClient = silo.CreateClient(other);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (int i = 0; i < 6 && refused is null; i++)
        {
            HttpResponseMessage response = await greedyClient.GetAsync("v1/streams");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
        }
        Assert.NotNull(refused);
        Assert.True(statuses.Count >= 3, string.Join(", ", statuses)); // the burst of 2 went through first
        await Api.AssertErrorAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));

        Assert.Equal(HttpStatusCode.OK, (await otherClient.GetAsync("v1/streams")).StatusCode);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("v1/streams")).StatusCode);
        }

        // Admin routes: 3 per minute per admin key.
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("v1/keys")).StatusCode);
        }
        using HttpResponseMessage fourth = await admin.GetAsync("v1/keys");
        await Api.AssertErrorAsync(fourth, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(fourth.Headers.RetryAfter);
    }

    internal static async Task<string> CreateKeyAsync(HttpClient admin, string tenant)
    {
        using HttpResponseMessage response = await admin.PostAsJsonAsync("v1/keys", new CreateApiKeyRequest(tenant), GridJson.Options);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CreatedApiKey>(GridJson.Options))!.Key;
    }
}
