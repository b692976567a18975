using System.Diagnostics;
using Grid.Contracts.Api;
using Grid.TestSupport;
using Xunit.Abstractions;

namespace Grid.Silo.Tests;

/// <summary>Leader election across real silo processes: exactly one leads; when it dies, another takes over within the lease time.</summary>
public sealed class TrainerFailoverTests(ITestOutputHelper output)
{
    private const double LeaseSeconds = 3;

    [Fact]
    public async Task WhenTheLeaderProcessDiesTheOtherSiloTakesTheLeaseWithinTheLeaseTime()
    {
        string model = TinyModel.Write(1);
        await using RedisServer redis = await RedisServer.StartAsync();
        await using SiloProcess a = await TrainerSilo.StartAsync(redis, model, "leader-a", TrainerSilo.Settings(LeaseSeconds));
        await using SiloProcess b = await TrainerSilo.StartAsync(redis, model, "leader-b", TrainerSilo.Settings(LeaseSeconds));
        using HttpClient clientA = a.CreateClient();
        using HttpClient clientB = b.CreateClient();
        string first = await WaitForLeaderAsync(clientB, _ => true, TimeSpan.FromSeconds(30));
        Assert.Contains(first, new[] { "leader-a", "leader-b" });
        // Stable: the leader keeps its lease by renewing it; the other silo never takes it meanwhile.
        for (int i = 0; i < 4; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(LeaseSeconds / 2));
            Assert.Equal(first, (await TrainerSilo.StatusAsync(clientA)).TrainerLeader);
        }
        Assert.Equal(1, Leaders(await clientA.GetStringAsync("metrics")) + Leaders(await clientB.GetStringAsync("metrics")));

        SiloProcess leader = first == "leader-a" ? a : b;
        HttpClient survivor = first == "leader-a" ? clientB : clientA;
        string other = first == "leader-a" ? "leader-b" : "leader-a";
        var clock = Stopwatch.StartNew();
        leader.Kill(); // a crash: the lease is not released, it must expire

        await WaitForLeaderAsync(survivor, name => name == other, TimeSpan.FromSeconds(LeaseSeconds * 4));
        TimeSpan takeover = clock.Elapsed;
        output.WriteLine($"{other} led {takeover.TotalSeconds:F2} s after {first} was killed (lease {LeaseSeconds} s, renewed every {LeaseSeconds / 3} s)");
        // The lease outlives its holder by at most the lease time; the survivor tries every third of it.
        Assert.True(takeover < TimeSpan.FromSeconds(LeaseSeconds + (LeaseSeconds / 3) + 1), $"takeover took {takeover.TotalSeconds:F2} s");
        Assert.Contains("grid_trainer_leader 1\n", await survivor.GetStringAsync("metrics"), StringComparison.Ordinal);
        TestPaths.DeleteDirectory(model);
    }

    private static int Leaders(string metrics) => metrics.Contains("grid_trainer_leader 1\n", StringComparison.Ordinal) ? 1 : 0;

    private static async Task<string> WaitForLeaderAsync(HttpClient client, Func<string, bool> accept, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            ClusterStatus status = await TrainerSilo.StatusAsync(client);
            if (status.TrainerLeader is { } leader && accept(leader))
            {
                return leader;
            }
            Assert.True(clock.Elapsed < timeout, $"no acceptable trainer leader within {timeout.TotalSeconds} s (last: {status.TrainerLeader ?? "none"})");
            await Task.Delay(50);
        }
    }
}
