using Grid.Contracts.Api;
using Grid.Codec;
using Grid.Diagnostics;
using Grid.Imaging;
using Grid.Storage.Models;
using Grid.Storage.Streams;
using Grid.Runtime.Tests.Native;
using Grid.Grains.Training;
using Grid.Training;
using Grid.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grid.Runtime.Tests.Training;

/// <summary>
/// The training grain in-process against a real redis-server (one per test: trainer and model keys are global), the
/// real native library and a small model trained on colour gradients; the reservoir holds grayscale charts.
/// </summary>
public sealed class TrainerGrainTests
{
    private static readonly Lazy<string> s_colourModel = new(() => RefreshContent.TrainColourModel(1));
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(120);

    private static TrainerOptions Options => CodebookRefreshTests.SmallOptions with
    {
        LeaseSeconds = 1.5,
        RefreshMinutes = 0,
        MinTrainSamples = 8,
        MinHeldOutSamples = 4,
        RetentionGraceSeconds = 3600,
    };

    [Fact]
    public async Task ARequestedRefreshPublishesTheNextVersionWithItsCardAndMakesItCurrent()
    {
        await using Harness harness = await Harness.StartAsync(Options);
        await harness.FillReservoirAsync(train: 24, heldOut: 8);
        TrainerGrain trainer = harness.StartTrainer("silo-a");

        (RefreshCycle requested, bool created) = await harness.Cycles.RequestAsync("silo-b");
        (RefreshCycle again, bool createdAgain) = await harness.Cycles.RequestAsync("silo-c");
        RefreshCycle done = (await harness.Cycles.WaitAsync(requested.Id, s_wait))!;

        Assert.True(created);
        Assert.True(createdAgain || again.Id == requested.Id); // a request already waiting is reused, unless the leader took it
        Assert.True(done.Status == CycleStatus.Published, $"{done.Status}: {done.Reason}");
        Assert.Equal("request", done.Trigger);
        Assert.Equal("silo-b", done.RequestedBy);
        Assert.Equal("silo-a", done.Leader);
        Assert.Equal(1u, done.Parent);
        Assert.Equal(2u, done.Version);
        Assert.Equal(2u, await harness.Registry.GetCurrentVersionAsync());
        Assert.True(done.Metrics!.PsnrAfter >= done.Metrics.PsnrBefore);
        Assert.Equal(new RefreshData(2, 24, 8, done.Data!.FirstSample, done.Data.LastSample, 32), done.Data);
        ModelCard card = (await harness.Registry.GetCardAsync(2))!;
        Assert.Equal(1u, card.Parent);
        Assert.Equal(done.Id, card.Refresh!.Cycle);
        Assert.Equal(done.Metrics, card.Refresh.Metrics);
        Assert.Equal(done.Data, card.Refresh.Data);
        Assert.Equal(RefreshContent.Config, card.Config);
        Assert.Contains(await harness.Cycles.RecentAsync(10), c => c.Id == done.Id && c.Status == CycleStatus.Published);
        Assert.Contains("grid_trainer_cycles_total{outcome=\"published\"} ", harness.RenderMetrics(), StringComparison.Ordinal);
        Assert.True(trainer.IsLeader);

        await harness.StopTrainerAsync();
        Assert.Null(await new TrainerLease(harness.Redis, "x", TimeSpan.FromSeconds(1)).HolderNowAsync()); // released on stop
    }

    [Fact]
    public async Task ACycleWithoutEnoughDataIsRejectedAndSaysWhy()
    {
        await using Harness harness = await Harness.StartAsync(Options);
        await harness.FillReservoirAsync(train: 3, heldOut: 1);
        harness.StartTrainer("silo-a");

        (RefreshCycle requested, _) = await harness.Cycles.RequestAsync("cli");
        RefreshCycle done = (await harness.Cycles.WaitAsync(requested.Id, s_wait))!;

        Assert.Equal(CycleStatus.Rejected, done.Status);
        Assert.StartsWith("not enough data: the reservoir holds 3 training and 1 held-out samples", done.Reason, StringComparison.Ordinal);
        Assert.Equal([1u], await harness.Registry.ListVersionNumbersAsync());
    }

    [Fact]
    public async Task ACandidateWorseThanTheCurrentModelIsRejectedAndNotPublished()
    {
        // A learning rate far too high ruins the decoder: the held-out comparison must catch it.
        await using Harness harness = await Harness.StartAsync(Options with { LearningRate = 1f, FineTuneSteps = 40 });
        await harness.FillReservoirAsync(train: 24, heldOut: 8);
        harness.StartTrainer("silo-a");

        (RefreshCycle requested, _) = await harness.Cycles.RequestAsync("cli");
        RefreshCycle done = (await harness.Cycles.WaitAsync(requested.Id, s_wait))!;

        Assert.True(done.Status == CycleStatus.Rejected, $"{done.Status}: {done.Reason}");
        Assert.True(done.Metrics!.PsnrAfter < done.Metrics.PsnrBefore);
        Assert.Contains("is below the current model's", done.Reason, StringComparison.Ordinal);
        Assert.Equal([1u], await harness.Registry.ListVersionNumbersAsync());
        Assert.Equal(1u, await harness.Registry.GetCurrentVersionAsync());
    }

    [Fact]
    public async Task LosingTheLeaseMidCycleAbortsItWithoutPublishing()
    {
        await using Harness harness = await Harness.StartAsync(Options with { FineTuneSteps = 1_000_000 });
        await harness.FillReservoirAsync(train: 24, heldOut: 8);
        TrainerGrain trainer = harness.StartTrainer("silo-a");
        (RefreshCycle requested, _) = await harness.Cycles.RequestAsync("cli");
        while ((await harness.Cycles.GetAsync(requested.Id))!.Status != CycleStatus.Running || (await harness.Cycles.GetAsync(requested.Id))!.Data is null)
        {
            await Task.Delay(50);
        }

        // Another silo takes the lease (as after a network partition outlasting the lease time).
        await harness.Redis.Database.StringSetAsync("grid:trainer:lease", "silo-b", TimeSpan.FromSeconds(30));
        RefreshCycle done = (await harness.Cycles.WaitAsync(requested.Id, s_wait))!;

        Assert.Equal(CycleStatus.Aborted, done.Status);
        Assert.Contains("silo-a lost the trainer lease", done.Reason, StringComparison.Ordinal);
        Assert.False(trainer.IsLeader);
        Assert.Equal([1u], await harness.Registry.ListVersionNumbersAsync());
        Assert.Equal("silo-b", (string?)await harness.Redis.Database.StringGetAsync("grid:trainer:lease")); // never touched by silo-a
    }

    [Fact]
    public async Task ANewLeaderRecordsTheCycleItsPredecessorLeftUnfinished()
    {
        await using Harness harness = await Harness.StartAsync(Options);
        (RefreshCycle orphan, _) = await harness.Cycles.RequestAsync("cli");
        Assert.Equal(orphan.Id, (await harness.Cycles.TakeRequestAsync())!.Id); // a leader took it ...
        await harness.Cycles.SaveAsync(orphan with { Status = CycleStatus.Running, Leader = "silo-dead", Started = DateTimeOffset.UtcNow }); // ... and died

        TrainerGrain trainer = harness.StartTrainer("silo-a");
        RefreshCycle done = (await harness.Cycles.WaitAsync(orphan.Id, s_wait))!;

        Assert.Equal(CycleStatus.Aborted, done.Status);
        Assert.Equal("the trainer leader silo-dead stopped before finishing it; silo-a took over the lease", done.Reason);
        Assert.Empty(await harness.Cycles.RunningAsync());
        Assert.True(trainer.IsLeader);
    }

    [Fact]
    public async Task OfTwoSilosOneLeadsAndTheOtherTakesOverWhenItStops()
    {
        await using Harness harness = await Harness.StartAsync(Options);
        TrainerGrain a = harness.StartTrainer("silo-a");
        await WaitForAsync(() => a.IsLeader);
        using var stopB = new CancellationTokenSource();
        var b = new TrainerGrain(harness.Redis, harness.Registry, harness.Streams, Options, "silo-b", NullLogger<TrainerGrain>.Instance);
        Task runB = b.RunAsync(stopB.Token);
        await Task.Delay(TimeSpan.FromSeconds(Options.LeaseSeconds));
        Assert.True(a.IsLeader);
        Assert.False(b.IsLeader);

        await harness.StopTrainerAsync(); // releases the lease: b need not wait for it to expire

        await WaitForAsync(() => b.IsLeader);
        Assert.Equal("silo-b", await new TrainerLease(harness.Redis, "x", TimeSpan.FromSeconds(1)).HolderNowAsync());
        await stopB.CancelAsync();
        await runB;
    }

    [Fact]
    public async Task AScheduledCycleRunsOnceEnoughNewFramesWereSampled()
    {
        await using Harness harness = await Harness.StartAsync(Options with { RefreshMinutes = 0.01, MinNewSamples = 30 });
        await harness.FillReservoirAsync(train: 20, heldOut: 5); // 25 samples: below MinNewSamples
        harness.StartTrainer("silo-a");
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Empty(await harness.Cycles.RecentAsync(10));

        await harness.FillReservoirAsync(train: 4, heldOut: 3, firstSeed: 500);
        await WaitForAsync(async () => (await harness.Cycles.RecentAsync(10)).Count > 0);

        RefreshCycle cycle = (await harness.Cycles.RecentAsync(10))[0];
        Assert.Equal("schedule", cycle.Trigger);
        Assert.True(cycle.Status == CycleStatus.Published, $"{cycle.Status}: {cycle.Reason}");
        Assert.Null(cycle.RequestedBy);
    }

    private static async Task WaitForAsync(Func<bool> condition) => await WaitForAsync(() => Task.FromResult(condition()));

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(s_wait);
        while (!await condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>A redis-server, the colour model published as current version 1, and the grain's collaborators.</summary>
    private sealed class Harness : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task _running = Task.CompletedTask;

        private Harness(RedisServer server, RedisConnection redis, TrainerOptions options)
        {
            Server = server;
            Redis = redis;
            TrainerOptions = options;
            Registry = new ModelRegistry(redis);
            Streams = new StreamStore(redis);
            Cycles = new CycleLog(redis);
            Samples = new MetricSamples(Metrics);
        }

        public MetricSamples Samples { get; }

        public string RenderMetrics() => Samples.Render();

        public RedisServer Server { get; }

        public RedisConnection Redis { get; }

        public TrainerOptions TrainerOptions { get; }

        public ModelRegistry Registry { get; }

        public StreamStore Streams { get; }

        public CycleLog Cycles { get; }

        public GridMetrics Metrics { get; } = GridMetrics.CreateUnshared();

        public static async Task<Harness> StartAsync(TrainerOptions options)
        {
            NativeTestData.EnsureRuntime();
            string model = s_colourModel.Value;
            RedisServer server = await RedisServer.StartAsync();
            var harness = new Harness(server, await RedisConnection.ConnectAsync(server.ConnectionString), options);
            Assert.Equal(1u, await harness.Registry.EnsureCurrentAsync(model));
            return harness;
        }

        /// <summary>Writes chart samples into the reservoir of two streams, as the silos' samplers would.</summary>
        public async Task FillReservoirAsync(int train, int heldOut, int firstSeed = 0)
        {
            var store = new ReservoirStore(Redis, TrainerOptions);
            for (int i = 0; i < train + heldOut; i++)
            {
                bool held = i >= train;
                string member = i % 2 == 0 ? "t/a" : "t/b";
                long slot = (await store.ReserveAsync(member, held, 0.5))!.Value;
                await store.WriteAsync(member, held, slot, firstSeed + i, Png.Encode(RefreshContent.Chart(64, 64, firstSeed + i)));
            }
        }

        public TrainerGrain StartTrainer(string name)
        {
            var trainer = new TrainerGrain(Redis, Registry, Streams, TrainerOptions, name, NullLogger<TrainerGrain>.Instance, Metrics);
            _running = trainer.RunAsync(_stop.Token);
            return trainer;
        }

        public async Task StopTrainerAsync()
        {
            await _stop.CancelAsync();
            await _running;
        }

        public async ValueTask DisposeAsync()
        {
            await StopTrainerAsync();
            _stop.Dispose();
            Samples.Dispose();
            Metrics.Dispose();
            Redis.Dispose();
            await Server.DisposeAsync();
        }
    }
}
