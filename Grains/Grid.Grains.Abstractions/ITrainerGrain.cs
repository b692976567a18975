namespace Grid.Grains.Abstractions;

/// <summary>
/// The cluster's one trainer (key 0; Orleans single activation): driven by a Redis-backed reminder, each tick starts
/// the next refresh cycle — a queued request first, else a scheduled one when due — and runs model retention. After
/// the silo hosting it dies, the next reminder tick activates it on a live silo, which records the cycle the dead one
/// left unfinished as aborted.
/// </summary>
public interface ITrainerGrain : IGrainWithIntegerKey
{
    /// <summary>Registers the reminder if needed and starts a queued cycle now if none runs (a request was queued).</summary>
    Task NudgeAsync();

    /// <summary>Where the trainer runs and what it does now.</summary>
    Task<TrainerState> GetStateAsync();
}
