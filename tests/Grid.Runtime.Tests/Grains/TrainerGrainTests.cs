using Grid.Contracts.Api;
using Grid.Grains.Abstractions;
using Grid.Codec;
using Grid.Runtime.Tests.Training;
using Grid.Storage.Models;
using Grid.Training;

namespace Grid.Runtime.Tests.Grains;

/// <summary>
/// The trainer grain in a two-silo Orleans test cluster on a real redis-server, with the real native library and a
/// small model trained on colour gradients; the reservoir holds grayscale charts. The reminder ticks every second.
/// </summary>
public sealed class TrainerGrainTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(120);

    private static TrainerOptions Options => CodebookRefreshTests.SmallOptions with
    {
        TickSeconds = 1,
        RefreshMinutes = 0,
        MinTrainSamples = 8,
        MinHeldOutSamples = 4,
        RetentionGraceSeconds = 3600,
    };

    private static ITrainerGrain Trainer(GrainCluster cluster) => cluster.Grains.GetGrain<ITrainerGrain>(0);

    [Fact]
    public async Task ARequestedRefreshPublishesTheNextVersionWithItsCardAndMakesItCurrent()
    {
        await using GrainCluster cluster = await GrainCluster.StartAsync(Options);
        await cluster.FillReservoirAsync(train: 24, heldOut: 8);

        (RefreshCycle requested, bool created) = await cluster.Cycles.RequestAsync("silo-b");
        (RefreshCycle again, bool createdAgain) = await cluster.Cycles.RequestAsync("silo-c");
        await Trainer(cluster).NudgeAsync();
        RefreshCycle done = (await cluster.Cycles.WaitAsync(requested.Id, s_wait))!;
        TrainerState state = await Trainer(cluster).GetStateAsync();

        Assert.True(created);
        Assert.True(createdAgain || again.Id == requested.Id); // a request already waiting is reused, unless the trainer took it
        Assert.True(done.Status == CycleStatus.Published, $"{done.Status}: {done.Reason}");
        Assert.Equal("request", done.Trigger);
        Assert.Equal("silo-b", done.RequestedBy);
        Assert.Equal(state.Silo, done.Leader);
        Assert.Contains(done.Leader, new[] { "Silo_0", "Silo_1" });
        Assert.Equal(1u, done.Parent);
        Assert.Equal(2u, done.Version);
        Assert.Equal(2u, await cluster.Registry.GetCurrentVersionAsync());
        Assert.True(done.Metrics!.PsnrAfter >= done.Metrics.PsnrBefore);
        Assert.Equal(new RefreshData(2, 24, 8, done.Data!.FirstSample, done.Data.LastSample, 32), done.Data);
        ModelCard card = (await cluster.Registry.GetCardAsync(2))!;
        Assert.Equal(1u, card.Parent);
        Assert.Equal(done.Id, card.Refresh!.Cycle);
        Assert.Equal(done.Metrics, card.Refresh.Metrics);
        Assert.Equal(done.Data, card.Refresh.Data);
        Assert.Equal(RefreshContent.Config, card.Config);
        Assert.Contains(await cluster.Cycles.RecentAsync(10), c => c.Id == done.Id && c.Status == CycleStatus.Published);
    }

    [Fact]
    public async Task TheReminderAloneStartsAQueuedCycle()
    {
        await using GrainCluster cluster = await GrainCluster.StartAsync(Options);
        await cluster.FillReservoirAsync(train: 3, heldOut: 1);
        _ = await Trainer(cluster).GetStateAsync(); // activates the grain, which registers its reminder

        // Queued without a nudge (as when the silo that took the request died before nudging): the next tick takes it.
        (RefreshCycle requested, _) = await cluster.Cycles.RequestAsync("cli");
        RefreshCycle done = (await cluster.Cycles.WaitAsync(requested.Id, s_wait))!;

        Assert.Equal(CycleStatus.Rejected, done.Status);
        Assert.StartsWith("not enough data: the reservoir holds 3 training and 1 held-out samples", done.Reason, StringComparison.Ordinal);
        Assert.Equal([1u], await cluster.Registry.ListVersionNumbersAsync());
    }

    [Fact]
    public async Task ACandidateWorseThanTheCurrentModelIsRejectedAndNotPublished()
    {
        // A learning rate far too high ruins the decoder: the held-out comparison must catch it.
        await using GrainCluster cluster = await GrainCluster.StartAsync(Options with { LearningRate = 1f, FineTuneSteps = 40 });
        await cluster.FillReservoirAsync(train: 24, heldOut: 8);

        (RefreshCycle requested, _) = await cluster.Cycles.RequestAsync("cli");
        await Trainer(cluster).NudgeAsync();
        RefreshCycle done = (await cluster.Cycles.WaitAsync(requested.Id, s_wait))!;

        Assert.True(done.Status == CycleStatus.Rejected, $"{done.Status}: {done.Reason}");
        Assert.True(done.Metrics!.PsnrAfter < done.Metrics.PsnrBefore);
        Assert.Contains("is below the current model's", done.Reason, StringComparison.Ordinal);
        Assert.Equal([1u], await cluster.Registry.ListVersionNumbersAsync());
        Assert.Equal(1u, await cluster.Registry.GetCurrentVersionAsync());
    }

    [Fact]
    public async Task ARollbackDuringACycleFencesItsPublication()
    {
        await using GrainCluster cluster = await GrainCluster.StartAsync(Options with { FineTuneSteps = 400 });
        await cluster.FillReservoirAsync(train: 24, heldOut: 8);
        ModelImport other = await cluster.Registry.ImportAsync(RefreshContent.TrainColourModel(7));
        (RefreshCycle requested, _) = await cluster.Cycles.RequestAsync("cli");
        await Trainer(cluster).NudgeAsync();
        while ((await cluster.Cycles.GetAsync(requested.Id))!.Data is null)
        {
            await Task.Delay(20);
        }

        // While it trains, an operator makes another version current (the compare-and-set must see it).
        Assert.True((await cluster.ModelRegistryGrain.RollbackAsync(other.Version)).Switched);
        RefreshCycle done = (await cluster.Cycles.WaitAsync(requested.Id, s_wait))!;

        Assert.Equal(CycleStatus.Aborted, done.Status);
        Assert.Contains($"the current model changed from version 1 to {other.Version} during the cycle", done.Reason, StringComparison.Ordinal);
        Assert.Equal(other.Version, await cluster.Registry.GetCurrentVersionAsync());
        Assert.Equal(7u, other.Version);
    }

    [Fact]
    public async Task ANewActivationRecordsTheCycleItsPredecessorLeftUnfinished()
    {
        await using GrainCluster cluster = await GrainCluster.StartAsync(Options);
        (RefreshCycle orphan, _) = await cluster.Cycles.RequestAsync("cli");
        Assert.Equal(orphan.Id, (await cluster.Cycles.TakeRequestAsync())!.Id); // a trainer took it ...
        await cluster.Cycles.SaveAsync(orphan with { Status = CycleStatus.Running, Leader = "silo-dead", Started = DateTimeOffset.UtcNow }); // ... and died

        TrainerState state = await Trainer(cluster).GetStateAsync();
        RefreshCycle done = (await cluster.Cycles.WaitAsync(orphan.Id, s_wait))!;

        Assert.Equal(CycleStatus.Aborted, done.Status);
        Assert.Equal($"the trainer on silo silo-dead stopped before finishing it; silo {state.Silo} activated the trainer again", done.Reason);
        Assert.Empty(await cluster.Cycles.RunningAsync());
    }

    [Fact]
    public async Task TheTrainerHasOneActivationAndTheReminderMovesItWhenItsSiloStops()
    {
        await using GrainCluster cluster = await GrainCluster.StartAsync(Options);
        string first = (await Trainer(cluster).GetStateAsync()).Silo;
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(first, (await Trainer(cluster).GetStateAsync()).Silo); // one activation, wherever it is asked from
        }

        await cluster.Cluster.StopSiloAsync(cluster.Silo(first));
        string other = first == "Silo_0" ? "Silo_1" : "Silo_0";
        await cluster.FillReservoirAsync(train: 3, heldOut: 1);
        (RefreshCycle requested, _) = await cluster.Cycles.RequestAsync("cli");

        // Nobody nudges: the reminder (in Redis) wakes the trainer on the surviving silo and it takes the request.
        RefreshCycle done = (await cluster.Cycles.WaitAsync(requested.Id, s_wait))!;
        Assert.Equal(other, done.Leader);
        Assert.Equal(other, (await Trainer(cluster).GetStateAsync()).Silo);
    }

    [Fact]
    public async Task AScheduledCycleRunsOnceEnoughNewFramesWereSampled()
    {
        await using GrainCluster cluster = await GrainCluster.StartAsync(Options with { RefreshMinutes = 0.01, MinNewSamples = 30 });
        await cluster.FillReservoirAsync(train: 20, heldOut: 5); // 25 samples: below MinNewSamples
        _ = await Trainer(cluster).GetStateAsync();
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Empty(await cluster.Cycles.RecentAsync(10));

        await cluster.FillReservoirAsync(train: 4, heldOut: 3, firstSeed: 500);
        using var timeout = new CancellationTokenSource(s_wait);
        while ((await cluster.Cycles.RecentAsync(10)).Count == 0)
        {
            await Task.Delay(100, timeout.Token);
        }

        RefreshCycle cycle = (await cluster.Cycles.RecentAsync(10))[0];
        Assert.Equal("schedule", cycle.Trigger);
        Assert.True(cycle.Status == CycleStatus.Published, $"{cycle.Status}: {cycle.Reason}");
        Assert.Null(cycle.RequestedBy);
    }
}
