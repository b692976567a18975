using System.Diagnostics;
using System.Globalization;
using Grid.Contracts.Api;
using Grid.Contracts.Frames;
using Grid.Codec;
using Grid.Diagnostics;
using Grid.Storage.Models;
using Grid.Storage.Streams;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Grid.Training;

namespace Grid.Grains.Training;

/// <summary>
/// The training grain: runs in every silo; only the holder of the trainer lease works. Every third of the lease time
/// it takes or renews the lease, and while it leads and no cycle runs, starts the next cycle — a queued request first
/// (any silo queues them: <see cref="CycleLog.RequestAsync"/>), else a scheduled one when
/// <see cref="TrainerOptions.RefreshMinutes"/> passed since the last and enough new frames were sampled — and runs
/// retention. A cycle reads the reservoir, runs <see cref="CodebookRefresh"/> on a low-priority thread, and publishes
/// the candidate as version N+1 (and makes it current) only if its held-out PSNR is not worse than the current
/// model's by more than the margin; every outcome is recorded. Losing the lease cancels a running cycle, which then
/// ends without publishing; the lease is checked once more right before publishing.
/// </summary>
public sealed partial class TrainerGrain
{
    private static readonly TimeSpan s_gaugeInterval = TimeSpan.FromSeconds(30);

    private readonly ModelRegistry _registry;
    private readonly ReservoirStore _reservoir;
    private readonly CycleLog _cycles;
    private readonly ModelRetention _retention;
    private readonly TrainerLease _lease;
    private readonly TrainerOptions _options;
    private readonly ILogger<TrainerGrain> _logger;
    private readonly TimeProvider _time;
    private readonly GridMetrics _metrics;
    private readonly Lock _gate = new();
    private TaskCompletionSource _nudge = NewSignal();
    private volatile bool _leader;
    private CancellationTokenSource? _cycleCancel;
    private string _abortReason = "cancelled";
    private Task _cycle = Task.CompletedTask;
    private long _renewedAt;
    private DateTimeOffset _leaderSince;
    private DateTimeOffset _lastRetention;
    private DateTimeOffset _lastGauges;
    private bool _redisFailing;

    /// <summary>Creates the grain; <see cref="RunAsync"/> runs it.</summary>
    /// <param name="redis">The process's Redis connection.</param>
    /// <param name="registry">The model registry it reads the current model from and publishes to.</param>
    /// <param name="streams">The streams, whose frames' model versions retention keeps.</param>
    /// <param name="options">Lease, schedule, refresh and retention settings.</param>
    /// <param name="name">This silo's name: the lease's value while it leads.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="metrics">The instruments (a private meter when null).</param>
    /// <param name="time">Clock (the system's when null).</param>
    public TrainerGrain(RedisConnection redis, ModelRegistry registry, StreamStore streams, TrainerOptions options, string name,
        ILogger<TrainerGrain> logger, GridMetrics? metrics = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(streams);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (options.Validate() is { Count: > 0 } errors)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }
        _registry = registry;
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        _reservoir = new ReservoirStore(redis, options, _time);
        _cycles = new CycleLog(redis, options.CycleHistory, _time);
        _retention = new ModelRetention(registry, streams, _time);
        _lease = new TrainerLease(redis, name, options.LeaseTime);

        _metrics = metrics ?? GridMetrics.CreateUnshared();
        _metrics.ObserveTrainerLeader(() => _leader);
    }

    /// <summary>This silo's name, the lease's value while it leads.</summary>
    public string Name => _lease.Holder;

    /// <summary>True while this silo holds the trainer lease.</summary>
    public bool IsLeader => _leader;

    /// <summary>The name of the silo that holds the trainer lease now; null when none does.</summary>
    public Task<string?> LeaderAsync() => _lease.HolderNowAsync();

    /// <summary>The cycle running now, or the last one (completed).</summary>
    public Task CurrentCycle
    {
        get
        {
            lock (_gate)
            {
                return _cycle;
            }
        }
    }

    /// <summary>The reservoir this grain trains from.</summary>
    public ReservoirStore Reservoir => _reservoir;

    /// <summary>The cycle queue and history.</summary>
    public CycleLog Cycles => _cycles;

    /// <summary>
    /// The grain's loop, until <paramref name="stoppingToken"/> is cancelled: then a running cycle is cancelled and
    /// awaited (it ends as aborted) and the lease is released, so another silo takes over at once.
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            LogDisabled(Name);
            return;
        }
        IAsyncDisposable? subscription = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    subscription ??= await _cycles.SubscribeRequestsAsync(Nudge).ConfigureAwait(false);
                    await TickAsync(stoppingToken).ConfigureAwait(false);
                    if (_redisFailing)
                    {
                        _redisFailing = false;
                        LogRedisBack(Name);
                    }
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    if (!_redisFailing)
                    {
                        _redisFailing = true;
                        LogRedisFailing(Name, e.Message);
                    }
                    // Unable to renew: once the lease time has passed since the last renewal, another silo may lead.
                    if (_leader && Stopwatch.GetElapsedTime(Interlocked.Read(ref _renewedAt)) >= _options.LeaseTime)
                    {
                        StepDown("it could not renew the lease within the lease time (Redis unreachable)");
                    }
                }
                await WaitAsync(_options.RenewInterval, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            await StopCycleAsync("the silo stopped").ConfigureAwait(false);
            if (_leader)
            {
                _leader = false;
                try
                {
                    await _lease.ReleaseAsync().WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None).ConfigureAwait(false);
                    LogReleased(Name);
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    // The lease expires by itself.
                }
            }
            if (subscription is not null)
            {
                await subscription.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Wakes the loop now (a request was queued, or a cycle finished).</summary>
    public void Nudge() => Volatile.Read(ref _nudge).TrySetResult();

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        if (!_leader)
        {
            if (!await _lease.TryAcquireAsync().ConfigureAwait(false))
            {
                return;
            }
            Interlocked.Exchange(ref _renewedAt, Stopwatch.GetTimestamp());
            _leaderSince = _time.GetUtcNow();
            _leader = true;
            LogLeading(Name, _options.LeaseSeconds);
            await RecoverInterruptedCyclesAsync(stoppingToken).ConfigureAwait(false);
        }
        else if (await _lease.RenewAsync().ConfigureAwait(false))
        {
            Interlocked.Exchange(ref _renewedAt, Stopwatch.GetTimestamp());
        }
        else
        {
            StepDown("the lease expired or another silo took it");
            return;
        }

        if (!CurrentCycle.IsCompleted)
        {
            return;
        }
        if (await _cycles.TakeRequestAsync(stoppingToken).ConfigureAwait(false) is { } request)
        {
            StartCycle(request, stoppingToken);
        }
        else if (await ScheduledCycleDueAsync(stoppingToken).ConfigureAwait(false))
        {
            StartCycle(await _cycles.NewScheduledAsync(stoppingToken).ConfigureAwait(false), stoppingToken);
        }
        else
        {
            DateTimeOffset now = _time.GetUtcNow();
            TimeSpan retentionEvery = TimeSpan.FromSeconds(Math.Clamp(_options.RetentionGraceSeconds / 2, 1, 300));
            if (now - _lastRetention >= retentionEvery)
            {
                await RunRetentionAsync(stoppingToken).ConfigureAwait(false);
            }
            if (now - _lastGauges >= s_gaugeInterval)
            {
                await UpdateReservoirGaugesAsync(stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Cycles a previous leader started and never finished: recorded as aborted.</summary>
    private async Task RecoverInterruptedCyclesAsync(CancellationToken cancellationToken)
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
                Reason = $"the trainer leader {cycle.Leader ?? "(unknown)"} stopped before finishing it; {Name} took over the lease",
                Finished = now,
                DurationSeconds = cycle.Started is { } started ? Math.Round((now - started).TotalSeconds, 1) : null,
            };
            await _cycles.FinishAsync(cycle, (await _cycles.LastCycleAsync(cancellationToken).ConfigureAwait(false)).Sampled).ConfigureAwait(false);
            _metrics.TrainerCycles.Add(1, GridMetrics.Tag("outcome", CycleStatus.Aborted));
            LogRecovered(id, cycle.Reason);
        }
    }

    private async Task<bool> ScheduledCycleDueAsync(CancellationToken cancellationToken)
    {
        if (_options.RefreshMinutes <= 0)
        {
            return false;
        }
        (DateTimeOffset? finished, long sampledThen) = await _cycles.LastCycleAsync(cancellationToken).ConfigureAwait(false);
        if (_time.GetUtcNow() - (finished ?? _leaderSince) < TimeSpan.FromMinutes(_options.RefreshMinutes))
        {
            return false;
        }
        long sampled = await _reservoir.SampledTotalAsync(cancellationToken).ConfigureAwait(false);
        return sampled - sampledThen >= _options.MinNewSamples;
    }

    private void StartCycle(RefreshCycle cycle, CancellationToken stoppingToken)
    {
        lock (_gate)
        {
            _cycleCancel?.Dispose();
            _cycleCancel = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            CancellationToken token = _cycleCancel.Token;
            _abortReason = "the silo stopped";
            _cycle = Task.Run(() => RunCycleAsync(cycle, token), CancellationToken.None);
        }
    }

    private void StepDown(string reason)
    {
        _leader = false;
        LogSteppedDown(Name, reason);
        lock (_gate)
        {
            if (_cycleCancel is { IsCancellationRequested: false } cancel && !_cycle.IsCompleted)
            {
                _abortReason = $"{Name} lost the trainer lease: {reason}";
                cancel.Cancel();
            }
        }
    }

    private async Task StopCycleAsync(string reason)
    {
        Task cycle;
        lock (_gate)
        {
            if (_cycleCancel is { IsCancellationRequested: false } cancel && !_cycle.IsCompleted)
            {
                _abortReason = reason;
                cancel.Cancel();
            }
            cycle = _cycle;
        }
        await cycle.ConfigureAwait(false); // RunCycleAsync never throws
    }

    private async Task RunCycleAsync(RefreshCycle cycle, CancellationToken token)
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
            if (!_leader || !await _lease.RenewAsync().ConfigureAwait(false))
            {
                cycle = cycle with { Status = CycleStatus.Aborted, Reason = $"{Name} lost the trainer lease before publishing" };
                return;
            }
            Interlocked.Exchange(ref _renewedAt, Stopwatch.GetTimestamp());
            uint? currentNow = await _registry.GetCurrentVersionAsync(token).ConfigureAwait(false);
            if (currentNow != parent)
            {
                cycle = cycle with
                {
                    Status = CycleStatus.Aborted,
                    Reason = $"the current model changed from version {parent} to {currentNow} during the cycle (a rollback?): the candidate refines a version that is no longer current",
                };
                return;
            }
            uint version = await _registry.NextVersionAsync(token).ConfigureAwait(false);
            ModelCard card = CardFor(current.Card, version, outcome, cycle, metrics, Stopwatch.GetElapsedTime(clock));
            await _registry.PublishAsync(card, outcome.CandidateWeights, $"refresh cycle {cycle.Id}", token).ConfigureAwait(false);
            await _registry.SetCurrentAsync(version, token).ConfigureAwait(false);
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
            cycle = cycle with { Status = CycleStatus.Aborted, Reason = Volatile.Read(ref _abortReason) };
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
        Nudge(); // the next queued request need not wait for the next tick
    }

    private async Task RunRetentionAsync(CancellationToken cancellationToken)
    {
        _lastRetention = _time.GetUtcNow();
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

    private async Task UpdateReservoirGaugesAsync(CancellationToken cancellationToken)
    {
        _lastGauges = _time.GetUtcNow();
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

    private async Task WaitAsync(TimeSpan period, CancellationToken cancellationToken)
    {
        TaskCompletionSource nudge = Volatile.Read(ref _nudge);
        try
        {
            await nudge.Task.WaitAsync(period, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The tick: renew the lease.
        }
        if (nudge.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _nudge, NewSignal(), nudge);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "Trainer disabled on silo {Name} (Grid:Trainer:Enabled=false); it samples frames but never leads")]
    private partial void LogDisabled(string name);

    [LoggerMessage(EventId = 411, Level = LogLevel.Information, Message = "Silo {Name} is the trainer leader (lease {LeaseSeconds} s)")]
    private partial void LogLeading(string name, double leaseSeconds);

    [LoggerMessage(EventId = 412, Level = LogLevel.Warning, Message = "Silo {Name} is no longer the trainer leader: {Reason}")]
    private partial void LogSteppedDown(string name, string reason);

    [LoggerMessage(EventId = 413, Level = LogLevel.Information, Message = "Silo {Name} released the trainer lease")]
    private partial void LogReleased(string name);

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

    [LoggerMessage(EventId = 422, Level = LogLevel.Warning, Message = "Model retention pass failed: {Reason}")]
    private partial void LogRetentionFailed(string reason);

    [LoggerMessage(EventId = 423, Level = LogLevel.Warning, Message = "Trainer on silo {Name} cannot reach Redis: {Reason}")]
    private partial void LogRedisFailing(string name, string reason);

    [LoggerMessage(EventId = 424, Level = LogLevel.Information, Message = "Trainer on silo {Name} reaches Redis again")]
    private partial void LogRedisBack(string name);
}
