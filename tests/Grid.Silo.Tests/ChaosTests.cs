using System.Diagnostics;
using System.Net;
using Grid.Contracts.Api;
using Grid.TestSupport;
using Xunit.Abstractions;

namespace Grid.Silo.Tests;

/// <summary>
/// Two silo processes and one Redis: a client pushes a stream with sequence numbers through silo A while the stream's
/// grain lives on silo B; B is killed (SIGKILL) or frozen (SIGSTOP) mid-stream. Every acknowledged frame is stored
/// exactly once, and the stream goes on (its grain reactivated on A once membership declares B dead) within 5 s after
/// a kill and 15 s after a freeze.
/// </summary>
public sealed class ChaosTests(ITestOutputHelper output)
{
    private const int Frames = 40;
    private const int FailAfter = 12;

    [Fact]
    public Task AKilledSiloLosesNoFrameAndTheStreamContinuesWithin5Seconds() =>
        RunAsync(async b => { b.Kill(); await Task.CompletedTask; }, TimeSpan.FromSeconds(5), "SIGKILL");

    [Fact]
    public Task AFrozenSiloLosesNoFrameAndTheStreamContinuesWithin15Seconds() =>
        RunAsync(b => b.PauseAsync(), TimeSpan.FromSeconds(15), "SIGSTOP");

    private async Task RunAsync(Func<SiloProcess, Task> fail, TimeSpan bound, string how)
    {
        string model = TinyModel.Write(1);
        await using RedisServer redis = await RedisServer.StartAsync();
        string[] settings = ["CodecThreads=1", "Trainer:Enabled=false"];
        await using SiloProcess a = await SiloProcess.StartAsync(new SiloProcessOptions { Redis = redis.ConnectionString, Model = model, Name = "chaos-a", Settings = settings });
        await using SiloProcess b = await SiloProcess.StartAsync(new SiloProcessOptions { Redis = redis.ConnectionString, Model = model, Name = "chaos-b", Settings = settings });
        using HttpClient viaA = a.CreateClient();
        using HttpClient viaB = b.CreateClient();
        string tenant = Api.NewTenant();
        try
        {
            // The first append goes through B: the stream's grain is activated there (placed on the calling silo).
            Assert.Equal(0, (await viaB.AppendAsync(tenant, "cam", TestImages.Png(16, 16, seed: 0), sequence: 0)).Sequence);
            var acknowledged = new List<long> { 0 };
            TimeSpan gap = TimeSpan.Zero;
            var clock = Stopwatch.StartNew();
            TimeSpan lastAck = clock.Elapsed;
            for (long sequence = 1; sequence < Frames; sequence++)
            {
                if (sequence == FailAfter)
                {
                    await fail(b);
                    lastAck = clock.Elapsed;
                }
                int attempts = 0;
                while (true)
                {
                    attempts++;
                    using HttpResponseMessage response = await viaA.SendAsync(Api.Append(tenant, "cam", TestImages.Png(16, 16, seed: (int)sequence), sequence, GridMediaTypes.Png));
                    if (response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK)
                    {
                        break;
                    }
                    // A 503 (the grain's silo is gone and not yet declared dead) is retried with the same number.
                    Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable && attempts < 200,
                        $"frame {sequence}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    await Task.Delay(100);
                }
                TimeSpan now = clock.Elapsed;
                if (now - lastAck > gap)
                {
                    gap = now - lastAck;
                }
                lastAck = now;
                acknowledged.Add(sequence);
            }
            output.WriteLine($"{how} of the silo hosting the stream grain: longest pause between acknowledgements {gap.TotalSeconds:F2} s");

            List<StreamRecord> stored = await viaA.ReplayAsync(tenant, "cam");
            Assert.Equal(acknowledged, stored.Select(r => r.Sequence)); // each acknowledged frame once, in order
            Assert.True(gap < bound, $"the stream stalled {gap.TotalSeconds:F2} s after {how} (bound {bound.TotalSeconds} s)");
        }
        finally
        {
            await b.ResumeAsync(); // a frozen process must be able to die
            TestPaths.DeleteDirectory(model);
        }
    }
}
