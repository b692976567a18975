namespace Grid.Grains.Abstractions;

/// <summary>A <see cref="GrainError"/> raised on the caller's side (the API maps its code to an HTTP status).</summary>
public sealed class GrainErrorException(GrainError error) : Exception(error.Message)
{
    /// <summary>The grain's answer.</summary>
    public GrainError Error { get; } = error;
}
