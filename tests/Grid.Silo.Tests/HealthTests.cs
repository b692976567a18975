using System.Diagnostics;
using System.Net;
using Grid.TestSupport;

namespace Grid.Silo.Tests;

/// <summary>Readiness follows Redis: a silo with a Redis of its own (AOF on, so a restart keeps the model registry).</summary>
public sealed class HealthTests
{
    [Fact]
    public async Task ReadinessFollowsRedisAndRecovers()
    {
        string model = TinyModel.Write(1);
        await using RedisServer redis = await RedisServer.StartAsync(RedisServerOptions.WithAppendOnly(AppendFsync.Always));
        await using SiloProcess silo = await SiloProcess.StartAsync(new SiloProcessOptions { Redis = redis.ConnectionString, Model = model, Name = "health" });
        using HttpClient client = silo.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health/startup")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health/live")).StatusCode);

        await redis.StopAsync(graceful: true);
        string notReady = await WaitForStatusAsync(client, HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(5));
        Assert.Contains("redis", notReady, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health/startup")).StatusCode); // the model stays loaded

        await redis.StartAgainAsync();
        await WaitForStatusAsync(client, HttpStatusCode.OK, TimeSpan.FromSeconds(15));
        TestPaths.DeleteDirectory(model);
    }

    [Fact]
    public async Task ASiloStartedBeforeRedisBecomesReadyWhenRedisArrives()
    {
        string model = TinyModel.Write(1);
        await using RedisServer redis = await RedisServer.StartAsync();
        await redis.StopAsync(); // keep its port, run nothing there yet
        await using SiloProcess silo = await SiloProcess.StartAsync(new SiloProcessOptions
        {
            Redis = redis.ConnectionString, Model = model, Name = "early", ReadyTimeout = null, // returns once live
        });
        using HttpClient client = silo.CreateClient();

        using (HttpResponseMessage startup = await client.GetAsync("health/startup"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, startup.StatusCode);
            Assert.Contains("waiting for Redis", await startup.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        await redis.StartAgainAsync();
        await WaitForStatusAsync(client, HttpStatusCode.OK, TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("health/startup")).StatusCode);
        TestPaths.DeleteDirectory(model);
    }

    [Fact]
    public async Task ASiloWithoutAModelToServeExitsAndSaysWhy()
    {
        await using RedisServer redis = await RedisServer.StartAsync();

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            SiloProcess.StartAsync(new SiloProcessOptions
            {
                // An empty Model turns off the import of the shipped models/default (found above the silo's binaries).
                Redis = redis.ConnectionString, Model = null, Settings = ["Model="], Name = "no-model", ReadyTimeout = TimeSpan.FromSeconds(30),
            }));

        Assert.Contains("exited with code 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("Redis holds no current model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidOptionsAreAllReportedAtStart()
    {
        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            SiloProcess.StartAsync(new SiloProcessOptions
            {
                Redis = "127.0.0.1:1",
                Name = "bad",
                Settings = ["MaxBatch=0", "Device=gpu", "MaxQueue=-5", "CodecLanes=65"],
                ReadyTimeout = TimeSpan.FromSeconds(30),
            }));

        Assert.Contains("Grid:MaxBatch is 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("Grid:Device 'gpu'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Grid:MaxQueue is -5", error.Message, StringComparison.Ordinal);
        Assert.Contains("Grid:CodecLanes is 65", error.Message, StringComparison.Ordinal);
    }

    private static async Task<string> WaitForStatusAsync(HttpClient client, HttpStatusCode wanted, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        string last = string.Empty;
        while (true)
        {
            using HttpResponseMessage response = await client.GetAsync("health/ready");
            last = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == wanted)
            {
                return last;
            }
            if (clock.Elapsed > timeout)
            {
                Assert.Fail($"/health/ready did not answer {(int)wanted} within {timeout.TotalSeconds} s; last: {(int)response.StatusCode} {last}");
            }
            await Task.Delay(100);
        }
    }
}
