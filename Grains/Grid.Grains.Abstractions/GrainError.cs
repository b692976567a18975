namespace Grid.Grains.Abstractions;

/// <summary>
/// An error a grain answers with instead of throwing, so that its code (Grid.Contracts.ErrorCodes) and Retry-After
/// reach the API unchanged from any silo.
/// </summary>
/// <param name="Code">The error code (Grid.Contracts.ErrorCodes).</param>
/// <param name="Message">What went wrong, for the caller.</param>
/// <param name="RetryAfterSeconds">When the caller may retry (queue full, draining); null when retrying will not help.</param>
[GenerateSerializer, Immutable]
public sealed record GrainError([property: Id(0)] string Code, [property: Id(1)] string Message, [property: Id(2)] int? RetryAfterSeconds = null);
