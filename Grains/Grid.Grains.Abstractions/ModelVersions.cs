namespace Grid.Grains.Abstractions;

/// <summary>The model registry's versions.</summary>
/// <param name="Current">The version new frames are encoded with; null when none was ever set.</param>
/// <param name="Versions">Every published (not deleted) version, ascending.</param>
[GenerateSerializer, Immutable]
public sealed record ModelVersions([property: Id(0)] uint? Current, [property: Id(1)] IReadOnlyList<uint> Versions);
