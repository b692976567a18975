using Grid.Contracts.Api;
using Grid.Grains.Abstractions;
using Grid.Training;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Grid.Grains.Training;

/// <summary>
/// The trainer grain (<see cref="ITrainerGrain"/>, key 0): Orleans keeps one activation in the cluster, and a reminder
/// stored in Redis (<see cref="ReminderName"/>, every <see cref="TrainerOptions.TickSeconds"/>) wakes it — on a live
/// silo after the one hosting it died. A tick (or a nudge after a request) starts the next cycle when none runs; the
/// cycle itself runs in <see cref="RefreshRunner"/> off the Orleans scheduler and reports back when it finishes.
/// Deactivation (the silo stops) cancels a running cycle, which is then recorded as aborted, never half-published.
/// </summary>
public sealed partial class TrainerGrain(RefreshRunner runner, TimeProvider time, ILogger<TrainerGrain> logger) : Grain, ITrainerGrain, IRemindable, IDisposable
{
    /// <summary>The reminder's name.</summary>
    public const string ReminderName = "refresh-tick";

    private readonly Lock _gate = new();
    private Task _cycle = Task.CompletedTask;
    private long? _runningCycle;
    private CancellationTokenSource? _cycleCancel;
    private string _abortReason = "cancelled";
    private DateTimeOffset _activeSince;
    private DateTimeOffset _lastRetention;
    private DateTimeOffset _lastGauges;
    private bool _reminderRegistered;

    private TrainerOptions Options => runner.Options;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _activeSince = time.GetUtcNow();
        runner.Active = true;
        if (!Options.Enabled)
        {
            LogDisabled(runner.Name);
            return;
        }
        LogActivated(runner.Name, Options.TickSeconds);
        runner.Finished = () => this.AsReference<ITrainerGrain>().NudgeAsync().Ignore();
        await EnsureReminderAsync();
        await runner.RecoverInterruptedCyclesAsync(cancellationToken);
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Task cycle;
        lock (_gate)
        {
            if (_cycleCancel is { IsCancellationRequested: false } cancel && !_cycle.IsCompleted)
            {
                _abortReason = $"the trainer on silo {runner.Name} was deactivated ({reason.Description})";
                cancel.Cancel();
            }
            cycle = _cycle;
        }
        runner.Finished = null;
        runner.Active = false;
        // RunCycleAsync never throws; it records the cycle as aborted before it returns.
        await cycle.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _cycleCancel?.Dispose();
            _cycleCancel = null;
        }
    }

    /// <inheritdoc />
    public Task ReceiveReminder(string reminderName, TickStatus status) => TickAsync();

    /// <inheritdoc />
    public async Task NudgeAsync()
    {
        if (Options.Enabled)
        {
            await EnsureReminderAsync();
        }
        await TickAsync();
    }

    /// <inheritdoc />
    public Task<TrainerState> GetStateAsync()
    {
        lock (_gate)
        {
            return Task.FromResult(new TrainerState(runner.Name, Options.Enabled, _runningCycle));
        }
    }

    private async Task EnsureReminderAsync()
    {
        if (!_reminderRegistered)
        {
            await this.RegisterOrUpdateReminder(ReminderName, Options.Tick, Options.Tick);
            _reminderRegistered = true;
        }
    }

    private async Task TickAsync()
    {
        if (!Options.Enabled)
        {
            return;
        }
        lock (_gate)
        {
            if (!_cycle.IsCompleted)
            {
                return;
            }
        }
        try
        {
            if (await runner.Cycles.TakeRequestAsync() is { } request)
            {
                StartCycle(request);
            }
            else if (await runner.ScheduledCycleDueAsync(_activeSince, CancellationToken.None))
            {
                StartCycle(await runner.Cycles.NewScheduledAsync());
            }
            else
            {
                DateTimeOffset now = time.GetUtcNow();
                TimeSpan retentionEvery = TimeSpan.FromSeconds(Math.Clamp(Options.RetentionGraceSeconds / 2, 1, 300));
                if (now - _lastRetention >= retentionEvery)
                {
                    _lastRetention = now;
                    await runner.RunRetentionAsync(CancellationToken.None);
                }
                if (now - _lastGauges >= retentionEvery)
                {
                    _lastGauges = now;
                    await runner.UpdateReservoirGaugesAsync(CancellationToken.None);
                }
            }
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogRedisFailing(runner.Name, e.Message); // the next tick tries again
        }
    }

    private void StartCycle(RefreshCycle cycle)
    {
        lock (_gate)
        {
            _cycleCancel?.Dispose();
            _cycleCancel = new CancellationTokenSource();
            CancellationToken token = _cycleCancel.Token;
            _abortReason = "cancelled";
            _runningCycle = cycle.Id;
            // Off the Orleans scheduler: the cycle's awaits continue on the thread pool and its training on its own thread.
            _cycle = Task.Run(async () =>
            {
                try
                {
                    await runner.RunCycleAsync(cycle, () => Volatile.Read(ref _abortReason), token);
                }
                finally
                {
                    lock (_gate)
                    {
                        _runningCycle = null;
                    }
                }
            }, CancellationToken.None);
        }
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "Trainer grain active on silo {Name}, but Grid:Trainer:Enabled=false there: it runs no cycles")]
    private partial void LogDisabled(string name);

    [LoggerMessage(EventId = 411, Level = LogLevel.Information, Message = "Trainer grain active on silo {Name} (reminder every {TickSeconds} s)")]
    private partial void LogActivated(string name, double tickSeconds);

    [LoggerMessage(EventId = 423, Level = LogLevel.Warning, Message = "Trainer on silo {Name} cannot reach Redis: {Reason}; the next tick retries")]
    private partial void LogRedisFailing(string name, string reason);
}
