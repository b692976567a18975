using System.Diagnostics;
using Grid.Contracts.Api;
using Grid.TestSupport;
using Xunit.Abstractions;

namespace Grid.Silo.Tests;

/// <summary>
/// The trainer grain across real silo processes: Orleans keeps one activation; when its silo is killed, membership
/// declares it dead and the Redis-backed reminder activates the trainer on the surviving silo.
/// </summary>
public sealed class TrainerFailoverTests(ITestOutputHelper output)
{
    private const double TickSeconds = 1;

    [Fact]
    public async Task WhenTheTrainersSiloDiesTheReminderActivatesItOnTheOtherSilo()
    {
        string model = TinyModel.Write(1);
        await using RedisServer redis = await RedisServer.StartAsync();
        await using SiloProcess a = await TrainerSilo.StartAsync(redis, model, "leader-a", TrainerSilo.Settings(TickSeconds));
        await using SiloProcess b = await TrainerSilo.StartAsync(redis, model, "leader-b", TrainerSilo.Settings(TickSeconds));
        using HttpClient clientA = a.CreateClient();
        using HttpClient clientB = b.CreateClient();
        string first = await WaitForTrainerAsync(clientB, _ => true, TimeSpan.FromSeconds(30));
        Assert.Contains(first, new[] { "leader-a", "leader-b" });
        // Stable: one activation, whichever silo is asked.
        for (int i = 0; i < 4; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(TickSeconds));
            Assert.Equal(first, (await TrainerSilo.StatusAsync(clientA)).TrainerLeader);
            Assert.Equal(first, (await TrainerSilo.StatusAsync(clientB)).TrainerLeader);
        }
        Assert.Equal(1, Hosts(await clientA.GetStringAsync("metrics")) + Hosts(await clientB.GetStringAsync("metrics")));

        SiloProcess host = first == "leader-a" ? a : b;
        HttpClient survivor = first == "leader-a" ? clientB : clientA;
        string other = first == "leader-a" ? "leader-b" : "leader-a";
        var clock = Stopwatch.StartNew();
        host.Kill(); // a crash: nothing is handed over

        await WaitForTrainerAsync(survivor, name => name == other, TimeSpan.FromSeconds(30));
        TimeSpan takeover = clock.Elapsed;
        output.WriteLine($"the trainer was active on {other} {takeover.TotalSeconds:F2} s after {first} was killed (reminder every {TickSeconds} s)");
        Assert.Contains("grid_trainer_leader 1\n", await survivor.GetStringAsync("metrics"), StringComparison.Ordinal);
        TestPaths.DeleteDirectory(model);
    }

    private static int Hosts(string metrics) => metrics.Contains("grid_trainer_leader 1\n", StringComparison.Ordinal) ? 1 : 0;

    private static async Task<string> WaitForTrainerAsync(HttpClient client, Func<string, bool> accept, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            ClusterStatus status = await TrainerSilo.StatusAsync(client);
            if (status.TrainerLeader is { } silo && accept(silo))
            {
                return silo;
            }
            Assert.True(clock.Elapsed < timeout, $"the trainer was not active on an acceptable silo within {timeout.TotalSeconds} s (last: {status.TrainerLeader ?? "none"})");
            await Task.Delay(100);
        }
    }
}
