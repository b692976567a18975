using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Grid.Contracts.Api;
using Grid.Storage.Streams;
using StackExchange.Redis;
using StreamInfo = Grid.Contracts.Api.StreamInfo;

namespace Grid.Silo.Tests;

/// <summary>API keys: 401 without one, tenants bound to their key, admin scope, keys hashed and revocable at once.</summary>
[Collection(SiloCollection.Name)]
public sealed class AuthenticationTests(SiloFixture fixture)
{
    [Theory]
    [InlineData("GET", "v1/streams")]
    [InlineData("GET", "v1/status")]
    [InlineData("GET", "v1/models")]
    [InlineData("POST", "v1/encode")]
    [InlineData("POST", "v1/streams/cam/frames")]
    [InlineData("POST", "v1/models/refresh")]
    [InlineData("GET", "v1/keys")]
    public async Task EveryApiRouteAnswers401WithoutAKey(string method, string path)
    {
        using HttpClient anonymous = fixture.Silo.CreateClient(apiKey: null);
        anonymous.DefaultRequestHeaders.Authorization = null;
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? Api.Body(TestImages.Png(8, 8), GridMediaTypes.Png) : null };
        using HttpResponseMessage response = await anonymous.SendAsync(request);
        await Api.AssertErrorAsync(response, HttpStatusCode.Unauthorized, "unauthenticated");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task AWrongOrMalformedKeyIs401AndHealthAndMetricsStayOpen()
    {
        using HttpClient wrong = fixture.Silo.CreateClient("grid_not-a-key-anyone-made");
        await Api.AssertErrorAsync(await wrong.GetAsync("v1/streams"), HttpStatusCode.Unauthorized, "unauthenticated");
        using var basic = new HttpRequestMessage(HttpMethod.Get, "v1/streams");
        basic.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");
        using HttpClient anonymous = fixture.Silo.CreateClient();
        anonymous.DefaultRequestHeaders.Authorization = null;
        await Api.AssertErrorAsync(await anonymous.SendAsync(basic), HttpStatusCode.Unauthorized, "unauthenticated");
        using var twice = new HttpRequestMessage(HttpMethod.Get, "v1/streams");
        twice.Headers.TryAddWithoutValidation("Authorization", ["Bearer " + Grid.TestSupport.SiloProcess.TestAdminKey, "Bearer other"]);
        await Api.AssertErrorAsync(await anonymous.SendAsync(twice), HttpStatusCode.Unauthorized, "unauthenticated");

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("metrics")).StatusCode);
    }

    [Fact]
    public async Task ATenantKeyActsForItsTenantOnlyAndSeesOnlyItsStreams()
    {
        string mine = Api.NewTenant(), theirs = Api.NewTenant();
        CreatedApiKey key = await CreateKeyAsync(mine);
        Assert.StartsWith("grid_", key.Key, StringComparison.Ordinal);
        await fixture.Client.AppendAsync(theirs, "secret-cam", TestImages.Png(8, 8));
        using HttpClient tenant = fixture.Silo.CreateClient(key.Key);

        using (HttpResponseMessage stored = await tenant.PostAsync("v1/streams/cam/frames", Api.Body(TestImages.Png(8, 8), GridMediaTypes.Png)))
        {
            Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        }
        // Naming the own tenant is fine; naming another is 403 before anything about its streams is looked up.
        Assert.Equal(HttpStatusCode.OK, (await tenant.SendAsync(Api.Get(mine, "v1/streams/cam"))).StatusCode);
        await Api.AssertErrorAsync(await tenant.SendAsync(Api.Get(theirs, "v1/streams/secret-cam")), HttpStatusCode.Forbidden, "forbidden");
        await Api.AssertErrorAsync(await tenant.SendAsync(Api.Get(theirs, "v1/streams/no-such-cam")), HttpStatusCode.Forbidden, "forbidden");
        await Api.AssertErrorAsync(await tenant.GetAsync($"v1/streams/secret-cam/frames?tenant={theirs}"), HttpStatusCode.Forbidden, "forbidden");
        using var duplicate = new HttpRequestMessage(HttpMethod.Get, "v1/streams");
        duplicate.Headers.Add(GridHeaders.Tenant, [mine, mine]);
        await Api.AssertErrorAsync(await tenant.SendAsync(duplicate), HttpStatusCode.BadRequest, "invalid_argument");

        List<StreamInfo> listed = (await tenant.GetFromJsonAsync<List<StreamInfo>>("v1/streams", GridJson.Options))!;
        Assert.Equal([(mine, "cam")], listed.Select(s => (s.Tenant, s.Stream)));
        ClusterStatus status = (await tenant.GetFromJsonAsync<ClusterStatus>("v1/status", GridJson.Options))!;
        Assert.All(status.Streams, s => Assert.Equal(mine, s.Tenant));
        ClusterStatus admin = (await fixture.Client.GetFromJsonAsync<ClusterStatus>("v1/status", GridJson.Options))!;
        Assert.Contains(admin.Streams, s => s.Tenant == theirs && s.Stream == "secret-cam");
        Assert.Contains(admin.Streams, s => s.Tenant == mine && s.Stream == "cam");
    }

    [Fact]
    public async Task ATenantKeyCannotRefreshRollBackOrManageKeys()
    {
        CreatedApiKey key = await CreateKeyAsync(Api.NewTenant());
        using HttpClient tenant = fixture.Silo.CreateClient(key.Key);
        await Api.AssertErrorAsync(await tenant.PostAsync("v1/models/refresh", null), HttpStatusCode.Forbidden, "forbidden");
        await Api.AssertErrorAsync(await tenant.PostAsync("v1/models/rollback?version=1", null), HttpStatusCode.Forbidden, "forbidden");
        await Api.AssertErrorAsync(await tenant.GetAsync("v1/keys"), HttpStatusCode.Forbidden, "forbidden");
        await Api.AssertErrorAsync(await tenant.PostAsJsonAsync("v1/keys", new CreateApiKeyRequest("x", Admin: true), GridJson.Options), HttpStatusCode.Forbidden, "forbidden");
        await Api.AssertErrorAsync(await tenant.DeleteAsync($"v1/keys/{key.Info.Id}"), HttpStatusCode.Forbidden, "forbidden");
        // Reading models stays open to tenants.
        Assert.Equal(HttpStatusCode.OK, (await tenant.GetAsync("v1/models")).StatusCode);
    }

    [Fact]
    public async Task KeysAreStoredHashedListedWithoutSecretsAndRevokedAtOnce()
    {
        string tenant = Api.NewTenant();
        CreatedApiKey key = await CreateKeyAsync(tenant);
        using HttpClient client = fixture.Silo.CreateClient(key.Key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("v1/streams")).StatusCode);

        string listing = await fixture.Client.GetStringAsync("v1/keys");
        Assert.Contains(key.Info.Id, listing, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Key, listing, StringComparison.Ordinal);
        Assert.DoesNotContain(key.Key[5..], listing, StringComparison.Ordinal);
        using (RedisConnection redis = RedisConnection.Connect(fixture.Redis.ConnectionString))
        {
            foreach (RedisKey name in redis.Multiplexer.GetServer(redis.Multiplexer.GetEndPoints()[0]).Keys(pattern: "grid:keys*"))
            {
                foreach (HashEntry entry in await redis.Database.HashGetAllAsync(name))
                {
                    Assert.DoesNotContain(key.Key[5..], entry.Name.ToString() + entry.Value, StringComparison.Ordinal);
                }
            }
        }

        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Client.DeleteAsync($"v1/keys/{key.Info.Id}")).StatusCode);
        await Api.AssertErrorAsync(await client.GetAsync("v1/streams"), HttpStatusCode.Unauthorized, "unauthenticated");
        await Api.AssertErrorAsync(await fixture.Client.DeleteAsync($"v1/keys/{key.Info.Id}"), HttpStatusCode.NotFound, "key_not_found");
        Assert.DoesNotContain(key.Info.Id, await fixture.Client.GetStringAsync("v1/keys"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocketsTakeTheKeyAsAccessTokenButOtherRoutesDoNot()
    {
        string tenant = Api.NewTenant();
        CreatedApiKey key = await CreateKeyAsync(tenant);
        using HttpClient client = fixture.Silo.CreateClient(key.Key);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("v1/streams/cam/frames", Api.Body(TestImages.Png(8, 8), GridMediaTypes.Png))).StatusCode);
        string ws = fixture.Silo.BaseAddress.ToString().Replace("http://", "ws://", StringComparison.Ordinal);

        using (var socket = new ClientWebSocket())
        {
            await socket.ConnectAsync(new Uri($"{ws}v1/streams/cam/live?from=0&access_token={Uri.EscapeDataString(key.Key)}"), CancellationToken.None);
            StreamRecord record = await WebSocketClient.ReceiveRecordAsync(socket);
            Assert.Equal(0, record.Sequence);
        }
        using (var anonymous = new ClientWebSocket())
        {
            anonymous.Options.CollectHttpResponseDetails = true;
            await Assert.ThrowsAsync<WebSocketException>(() => anonymous.ConnectAsync(new Uri($"{ws}v1/streams/cam/live?from=0"), CancellationToken.None));
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.HttpStatusCode);
        }
        using HttpClient bare = fixture.Silo.CreateClient();
        bare.DefaultRequestHeaders.Authorization = null;
        await Api.AssertErrorAsync(await bare.GetAsync($"v1/streams?access_token={Uri.EscapeDataString(key.Key)}"), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    private async Task<CreatedApiKey> CreateKeyAsync(string tenant)
    {
        using HttpResponseMessage response = await fixture.Client.PostAsJsonAsync("v1/keys", new CreateApiKeyRequest(tenant, Name: "test"), GridJson.Options);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CreatedApiKey>(GridJson.Options))!;
    }
}
