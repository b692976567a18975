namespace Grid.Grains.Abstractions;

/// <summary>The model registry grain's answer to a switch of the current version.</summary>
/// <param name="Switched">True when the current version is now the one asked for (and the subscribers were told).</param>
/// <param name="Current">The current version after the call (null when none is set).</param>
/// <param name="Error">Why the switch was refused (<c>model_not_found</c>); null otherwise.</param>
[GenerateSerializer, Immutable]
public sealed record ModelSwitchReply([property: Id(0)] bool Switched, [property: Id(1)] uint? Current, [property: Id(2)] GrainError? Error = null);
