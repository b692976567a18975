namespace Grid.Silo.Http;

/// <summary>A request the API refuses with a given status and error code (<see cref="Grid.Contracts.ErrorCodes"/>).</summary>
public sealed class ApiException(int status, string code, string message, int? retryAfterSeconds = null) : Exception(message)
{
    /// <summary>Seconds for Retry-After, when the client should come back later.</summary>
    public int? RetryAfterSeconds { get; } = retryAfterSeconds;

    /// <summary>The HTTP status.</summary>
    public int Status { get; } = status;

    /// <summary>The error code.</summary>
    public string Code { get; } = code;

    /// <summary>400 invalid_argument.</summary>
    public static ApiException InvalidArgument(string message) => new(StatusCodes.Status400BadRequest, Grid.Contracts.ErrorCodes.InvalidArgument, message);

    /// <summary>404 stream_not_found.</summary>
    public static ApiException StreamNotFound(string tenant, string stream) =>
        new(StatusCodes.Status404NotFound, Grid.Contracts.ErrorCodes.StreamNotFound, $"stream '{stream}' of tenant '{tenant}' does not exist");
}
