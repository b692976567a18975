using System.Diagnostics;
using System.Globalization;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Grid.Codec;
using Grid.Diagnostics;
using Grid.Grains.Abstractions;
using Grid.Storage.Models;
using Grid.Storage.Streams;
using Grid.Training;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Grid.Grains.Training;

/// <summary>
/// The work of a refresh cycle, outside any grain: reads the reservoir, runs <see cref="CodebookRefresh"/> on a
/// low-priority thread of its own (<see cref="TrainerThread"/>, never the Orleans scheduler), and publishes the
/// candidate as version N+1 and makes it current — only if its held-out PSNR is not worse than the current model's by
/// more than the margin, and only if its parent is still current (compare-and-set); every outcome is recorded in the
/// <see cref="CycleLog"/>. Also model retention and the reservoir gauges. One per silo; the trainer grain drives it.
/// </summary>
public sealed partial class RefreshRunner
{
    private readonly ModelRegistry _registry;
    private readonly IGrainFactory _grains;
    private readonly ReservoirStore _reservoir;
    private readonly CycleLog _cycles;
    private readonly ModelRetention _retention;
    private readonly TrainerOptions _options;
    private readonly ILogger<RefreshRunner> _logger;
    private readonly TimeProvider _time;
    private readonly GridMetrics _metrics;

    /// <summary>Creates the runner.</summary>
    /// <param name="registry">The model registry it reads the current model from and publishes to.</param>
    /// <param name="grains">Reaches the model registry grain, through which a published version becomes current.</param>
    /// <param name="reservoir">The training reservoir.</param>
    /// <param name="cycles">The cycle queue and history.</param>
    /// <param name="streams">The streams, whose frames' model versions retention keeps.</param>
    /// <param name="options">Refresh and retention settings.</param>
    /// <param name="name">This silo's name, recorded as the cycle's leader.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="metrics">The instruments.</param>
    /// <param name="time">Clock.</param>
    public RefreshRunner(ModelRegistry registry, IGrainFactory grains, ReservoirStore reservoir, CycleLog cycles, StreamStore streams, TrainerOptions options, string name,
        ILogger<RefreshRunner> logger, GridMetrics metrics, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }
        _registry = registry;
        _grains = grains;
        _reservoir = reservoir;
        _cycles = cycles;
        _retention = new ModelRetention(registry, streams, time);
        _options = options;
        Name = name;
        _logger = logger;
        _metrics = metrics;
        _time = time;
        _metrics.ObserveTrainerLeader(() => Active);
    }

    /// <summary>This silo's name.</summary>
    public string Name { get; }

    /// <summary>True while the trainer grain is active on this silo (set by the grain).</summary>
    public bool Active { get; set; }

    /// <summary>Called when a cycle finished (on the cycle's thread): the grain starts the next queued one.</summary>
    public Action? Finished { get; set; }

    /// <summary>The settings.</summary>
    public TrainerOptions Options => _options;

    /// <summary>The cycle queue and history.</summary>
    public CycleLog Cycles => _cycles;

    /// <summary>Cycles a previous leader started and never finished: recorded as aborted.</summary>
    public async Task RecoverInterruptedCyclesAsync(CancellationToken cancellationToken)
    {
        foreach (long id in await _cycles.RunningAsync(cancellationToken).ConfigureAwait(false))
        {
            RefreshCycle cycle = await _cycles.GetAsync(id, cancellationToken).ConfigureAwait(false)
                ?? new RefreshCycle { Id = id, Status = CycleStatus.Running, Trigger = "unknown", Requested = _time.GetUtcNow() };
            if (CycleStatus.IsFinal(cycle.Status))
            {
                await _cycles.ForgetRunningAsync(id).ConfigureAwait(false); // recorded already; only the list entry was left
                continue;
            }
            DateTimeOffset now = _time.GetUtcNow();
            cycle = cycle with
            {
                Status = CycleStatus.Aborted,
                Reason = $"the trainer on silo {cycle.Leader ?? "(unknown)"} stopped before finishing it; silo {Name} activated the trainer again",
                Finished = now,
                DurationSeconds = cycle.Started is { } started ? Math.Round((now - started).TotalSeconds, 1) : null,
            };
            await _cycles.FinishAsync(cycle, (await _cycles.LastCycleAsync(cancellationToken).ConfigureAwait(false)).Sampled).ConfigureAwait(false);
            _metrics.TrainerCycles.Add(1, GridMetrics.Tag("outcome", CycleStatus.Aborted));
            LogRecovered(id, cycle.Reason);
        }
    }

    public async Task<bool> ScheduledCycleDueAsync(DateTimeOffset activeSince, CancellationToken cancellationToken)
    {
        if (_options.RefreshMinutes <= 0)
        {
            return false;
        }
        (DateTimeOffset? finished, long sampledThen) = await _cycles.LastCycleAsync(cancellationToken).ConfigureAwait(false);
        if (_time.GetUtcNow() - (finished ?? activeSince) < TimeSpan.FromMinutes(_options.RefreshMinutes))
        {
            return false;
        }
        long sampled = await _reservoir.SampledTotalAsync(cancellationToken).ConfigureAwait(false);
        return sampled - sampledThen >= _options.MinNewSamples;
    }

    public async Task RunCycleAsync(RefreshCycle cycle, Func<string> abortReason, CancellationToken token)
    {
        DateTimeOffset started = _time.GetUtcNow();
        long clock = Stopwatch.GetTimestamp();
        long sampledTotal = -1;
        cycle = cycle with { Status = CycleStatus.Running, Leader = Name, Started = started };
        LogCycleStarted(cycle.Id, cycle.Trigger);
        try
        {
            await _cycles.SaveAsync(cycle, token).ConfigureAwait(false);
            uint parent = await _registry.GetCurrentVersionAsync(token).ConfigureAwait(false)
                ?? throw new InvalidOperationException("the model registry has no current model to refresh");
            cycle = cycle with { Parent = parent };
            StoredModel current = await _registry.GetAsync(parent, token).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"the current model version {parent} is missing from the registry");
            ulong seed = _options.Seed ^ (0x9E3779B97F4A7C15UL * (ulong)cycle.Id);
            ReservoirSnapshot snapshot = await _reservoir.ReadAsync(_options.MaxTrainSamples, _options.MaxHeldOutSamples, seed, token).ConfigureAwait(false);
            sampledTotal = snapshot.SampledTotal;
            cycle = cycle with
            {
                Data = new RefreshData(snapshot.ContributingStreams, snapshot.Train.Count, snapshot.HeldOut.Count, snapshot.FirstSample, snapshot.LastSample, snapshot.SampledTotal),
            };
            if (snapshot.Train.Count < _options.MinTrainSamples || snapshot.HeldOut.Count < _options.MinHeldOutSamples)
            {
                cycle = cycle with
                {
                    Status = CycleStatus.Rejected,
                    Reason = $"not enough data: the reservoir holds {snapshot.Train.Count} training and {snapshot.HeldOut.Count} held-out samples " +
                             $"from {snapshot.Streams} streams; a cycle needs at least {_options.MinTrainSamples} and {_options.MinHeldOutSamples} " +
                             $"(one stored frame in {_options.SampleEvery} is sampled, one sample in {_options.HeldOutEvery} held out)",
                };
                return;
            }
            await _cycles.SaveAsync(cycle, token).ConfigureAwait(false);

            RefreshOutcome outcome = await TrainerThread.RunAsync(
                // The log callback runs on the trainer thread: the console logger only enqueues to its own thread.
                () => CodebookRefresh.Run(current.Weights, snapshot, _options, seed, message => LogProgress(cycle.Id, message), token),
                _options.Threads, _options.Nice, applied => LogThread(cycle.Id, applied)).ConfigureAwait(false);
            RefreshMetrics metrics = MetricsOf(outcome);
            cycle = cycle with { Metrics = metrics };
            Observe(outcome);

            if (!outcome.Accepted(_options.MarginDb))
            {
                cycle = cycle with
                {
                    Status = CycleStatus.Rejected,
                    Reason = string.Create(CultureInfo.InvariantCulture,
                        $"the candidate's held-out PSNR {outcome.After.MeanPsnr:F2} dB is below the current model's {outcome.Before.MeanPsnr:F2} dB by more than the margin ({_options.MarginDb} dB): version {parent} stays current"),
                };
                return;
            }
            token.ThrowIfCancellationRequested();
            byte[]? prior = null;
            if (_options.TrainPrior)
            {
                long priorClock = Stopwatch.GetTimestamp();
                prior = await TrainerThread.RunAsync(
                    () => CodebookRefresh.TrainPrior(outcome.CandidateWeights, snapshot.Train, _options.Device, token),
                    _options.Threads, _options.Nice, applied => LogThread(cycle.Id, applied)).ConfigureAwait(false);
                TimeSpan priorTime = Stopwatch.GetElapsedTime(priorClock);
                LogPriorTrained(cycle.Id, snapshot.Train.Count, prior.Length, priorTime.TotalSeconds);
            }
            uint version = await _registry.NextVersionAsync(token).ConfigureAwait(false);
            ModelCard card = CardFor(current.Card, version, outcome, cycle, metrics, Stopwatch.GetElapsedTime(clock));
            await _registry.PublishAsync(card, outcome.CandidateWeights, prior, $"refresh cycle {cycle.Id}", token).ConfigureAwait(false);
            // The fence: the candidate becomes current only if its parent still is (one compare-and-set in Redis, by
            // the model registry grain, which then tells every silo). Single activation alone is no fence across a
            // partition, and an operator may have rolled back meanwhile. Not cancelled once asked: its outcome is recorded.
            ModelSwitchReply switched = await _grains.GetGrain<IModelRegistryGrain>(0).SwitchCurrentAsync(parent, version).ConfigureAwait(false);
            if (!switched.Switched)
            {
                uint? currentNow = switched.Current;
                cycle = cycle with
                {
                    Status = CycleStatus.Aborted,
                    Reason = $"the current model changed from version {parent} to {currentNow} during the cycle (a rollback?): the candidate, published as version {version}, refines a version that is no longer current and was not made current",
                };
                return;
            }
            cycle = cycle with
            {
                Status = CycleStatus.Published,
                Version = version,
                Reason = string.Create(CultureInfo.InvariantCulture,
                    $"held-out PSNR {outcome.After.MeanPsnr:F2} dB against the current model's {outcome.Before.MeanPsnr:F2} dB ({outcome.GainDb:+0.00;-0.00} dB): version {version} is current"),
            };
            await RunRetentionAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            cycle = cycle with { Status = CycleStatus.Aborted, Reason = abortReason() };
        }
        catch (Exception e)
        {
            LogCycleFailed(e, cycle.Id);
            cycle = cycle with { Status = CycleStatus.Failed, Reason = $"{e.GetType().Name}: {e.Message}" };
        }
        finally
        {
            await FinishCycleAsync(cycle, started, clock, sampledTotal).ConfigureAwait(false);
        }
    }

    private async Task FinishCycleAsync(RefreshCycle cycle, DateTimeOffset started, long clock, long sampledTotal)
    {
        TimeSpan elapsed = Stopwatch.GetElapsedTime(clock);
        cycle = cycle with { Finished = started + elapsed, DurationSeconds = Math.Round(elapsed.TotalSeconds, 1) };
        _metrics.TrainerCycles.Add(1, GridMetrics.Tag("outcome", cycle.Status));
        _metrics.TrainerRefreshDuration.Record(elapsed.TotalSeconds);
        LogCycleFinished(cycle.Id, cycle.Status, elapsed.TotalSeconds, cycle.Reason ?? string.Empty);
        try
        {
            if (sampledTotal < 0)
            {
                sampledTotal = await _reservoir.SampledTotalAsync().ConfigureAwait(false);
            }
            await _cycles.FinishAsync(cycle, sampledTotal).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // The cycle stays on the running list; the next leader (or this one after its next lease) records it aborted.
            LogRecordFailed(cycle.Id, e.Message);
        }
        Finished?.Invoke(); // the next queued request need not wait for the next tick
    }

    public async Task RunRetentionAsync(CancellationToken cancellationToken)
    {
        try
        {
            RetentionPass pass = await _retention.RunAsync(_options.KeepVersions, TimeSpan.FromSeconds(_options.RetentionGraceSeconds), cancellationToken).ConfigureAwait(false);
            _metrics.ModelVersionsDeleted.Add(pass.Deleted.Count);
            if (pass.Marked.Count + pass.Deleted.Count + pass.Unmarked.Count > 0)
            {
                LogRetention(pass.Kept, pass.Marked, pass.Deleted, pass.Unmarked);
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException or InvalidOperationException)
        {
            LogRetentionFailed(e.Message);
        }
    }

    public async Task UpdateReservoirGaugesAsync(CancellationToken cancellationToken)
    {
        ReservoirCounts counts = await _reservoir.CountAsync(cancellationToken).ConfigureAwait(false);
        _metrics.ReservoirSamples.Set("part", "train", counts.Train);
        _metrics.ReservoirSamples.Set("part", "heldout", counts.HeldOut);
        _metrics.ReservoirStreams.Set(counts.Streams);
    }

    private void Observe(RefreshOutcome outcome)
    {
        _metrics.TrainerHeldoutPsnr.Set("model", "current", outcome.Before.MeanPsnr);
        _metrics.TrainerHeldoutPsnr.Set("model", "candidate", outcome.After.MeanPsnr);
        _metrics.TrainerCodesUsed.Set("model", "current", outcome.Before.CodesUsed);
        _metrics.TrainerCodesUsed.Set("model", "candidate", outcome.After.CodesUsed);
        _metrics.TrainerPerplexity.Set("model", "current", outcome.Before.Perplexity);
        _metrics.TrainerPerplexity.Set("model", "candidate", outcome.After.Perplexity);
        _metrics.TrainerDeadCodes.Set(outcome.KMeans.EmptyClusters);
    }

    private RefreshMetrics MetricsOf(RefreshOutcome outcome) => new(
        Math.Round(outcome.Before.MeanPsnr, 3),
        Math.Round(outcome.After.MeanPsnr, 3),
        Math.Round(outcome.Refitted.MeanPsnr, 3),
        _options.MarginDb,
        outcome.Before.CodesUsed,
        outcome.After.CodesUsed,
        Math.Round(outcome.Before.Perplexity, 1),
        Math.Round(outcome.After.Perplexity, 1),
        outcome.KMeans.EmptyClusters,
        outcome.KMeans.Iterations,
        outcome.Steps,
        _options.TrainEncoder,
        Math.Round(outcome.Elapsed.TotalSeconds, 1));

    private ModelCard CardFor(ModelCard parent, uint version, RefreshOutcome outcome, RefreshCycle cycle, RefreshMetrics metrics, TimeSpan elapsed) => new()
    {
        Version = version,
        Fingerprint = VqfFormat.FormatFingerprint(VqfFormat.ComputeFingerprint(outcome.CandidateWeights)),
        Parent = parent.Version,
        Created = _time.GetUtcNow(),
        Config = parent.Config,
        Parameters = parent.Parameters,
        Training = parent.Training, // the original training; the refresh is described below
        Refresh = new RefreshRecord
        {
            Cycle = cycle.Id,
            Trigger = cycle.Trigger,
            Leader = Name,
            Data = cycle.Data!,
            Metrics = metrics,
            Seconds = Math.Round(elapsed.TotalSeconds, 1),
        },
    };

    [LoggerMessage(EventId = 414, Level = LogLevel.Information, Message = "Refresh cycle {Id} started ({Trigger})")]
    private partial void LogCycleStarted(long id, string trigger);

    [LoggerMessage(EventId = 415, Level = LogLevel.Information, Message = "Refresh cycle {Id}: {Message}")]
    private partial void LogProgress(long id, string message);

    [LoggerMessage(EventId = 416, Level = LogLevel.Information, Message = "Refresh cycle {Id} runs with {Applied}")]
    private partial void LogThread(long id, string applied);

    [LoggerMessage(EventId = 417, Level = LogLevel.Information, Message = "Refresh cycle {Id} {Status} after {Seconds:0.0} s: {Reason}")]
    private partial void LogCycleFinished(long id, string status, double seconds, string reason);

    [LoggerMessage(EventId = 418, Level = LogLevel.Error, Message = "Refresh cycle {Id} failed")]
    private partial void LogCycleFailed(Exception exception, long id);

    [LoggerMessage(EventId = 419, Level = LogLevel.Warning, Message = "Refresh cycle {Id} {Reason}")]
    private partial void LogRecovered(long id, string reason);

    [LoggerMessage(EventId = 420, Level = LogLevel.Warning, Message = "Refresh cycle {Id} could not be recorded: {Reason}")]
    private partial void LogRecordFailed(long id, string reason);

    [LoggerMessage(EventId = 421, Level = LogLevel.Information, Message = "Model retention: kept {Kept}; marked retiring {Marked}; deleted {Deleted}; needed again {Unmarked}")]
    private partial void LogRetention(IReadOnlyList<uint> kept, IReadOnlyList<uint> marked, IReadOnlyList<uint> deleted, IReadOnlyList<uint> unmarked);

    [LoggerMessage(EventId = 424, Level = LogLevel.Information, Message = "Refresh cycle {Id}: prior trained on {Samples} samples, {Bytes} bytes, {Seconds:0.0} s")]
    private partial void LogPriorTrained(long id, int samples, int bytes, double seconds);

    [LoggerMessage(EventId = 422, Level = LogLevel.Warning, Message = "Model retention pass failed: {Reason}")]
    private partial void LogRetentionFailed(string reason);
}
