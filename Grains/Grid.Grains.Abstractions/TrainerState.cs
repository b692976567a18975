namespace Grid.Grains.Abstractions;

/// <summary>The trainer grain's state.</summary>
/// <param name="Silo">The name of the silo it is active on.</param>
/// <param name="Enabled">False when Grid:Trainer:Enabled is off there: it then runs no cycles.</param>
/// <param name="RunningCycle">The cycle it runs now; null when idle.</param>
[GenerateSerializer, Immutable]
public sealed record TrainerState([property: Id(0)] string Silo, [property: Id(1)] bool Enabled, [property: Id(2)] long? RunningCycle);
