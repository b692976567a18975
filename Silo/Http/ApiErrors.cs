using Grid.Contracts;
using Grid.Contracts.Frames;
using Grid.Codec;
using Grid.Imaging;
using Grid.Native;
using Grid.Grains.Abstractions;
using Grid.Grains.Placement;
using Grid.Grains.Serving;
using Grid.Grains.Streams;
using StackExchange.Redis;

namespace Grid.Silo.Http;

/// <summary>An API error.</summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Code">One of <see cref="ErrorCodes"/>.</param>
/// <param name="Message">For people.</param>
/// <param name="RetryAfterSeconds">Value of Retry-After, when the client should come back later.</param>
public sealed record ApiError(int Status, string Code, string Message, int? RetryAfterSeconds = null)
{
    /// <summary>True for a server-side failure (5xx).</summary>
    public bool IsServerError => Status >= 500;
}

/// <summary>The one place where exceptions become API errors: status, code, message and headers.</summary>
public static class ApiErrors
{
    /// <summary>Maps an exception thrown while serving a request.</summary>
    public static ApiError From(Exception exception) => exception switch
    {
        ApiException api => new ApiError(api.Status, api.Code, api.Message, api.RetryAfterSeconds),
        GrainErrorException grain => new ApiError(StatusOf(grain.Error.Code), grain.Error.Code, grain.Error.Message, grain.Error.RetryAfterSeconds),
        // A grain's silo crashed and membership has not caught up yet, or the call timed out: retry shortly.
        OrleansException orleans => new ApiError(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, $"the cluster could not serve the call ({orleans.GetType().Name}); retry", 1),
        NoSiloForDeviceException noSilo => new ApiError(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, noSilo.Message),
        QueueFullException full => new ApiError(StatusCodes.Status429TooManyRequests, ErrorCodes.QueueFull, full.Message, (int)Math.Ceiling(full.RetryAfter.TotalSeconds)),
        // A stored frame that does not decode is the server's data at fault, whatever the frame error.
        StoredFrameException stored => new ApiError(StatusCodes.Status500InternalServerError, stored.Code, stored.Message),
        CodecException codec => new ApiError(StatusOf(codec.Code), codec.Code, codec.Message, codec.Code == ErrorCodes.Unavailable ? 1 : null),
        FrameFormatException frame => new ApiError(StatusCodes.Status400BadRequest, ErrorCodes.FromFrameError(frame.Error), frame.Message),
        ImageFormatException image => FromImage(image),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } tooLarge =>
            new ApiError(StatusCodes.Status413PayloadTooLarge, ErrorCodes.BodyTooLarge, $"request body is too large: {tooLarge.Message}"),
        BadHttpRequestException bad => new ApiError(bad.StatusCode, ErrorCodes.InvalidArgument, bad.Message),
        RedisException or RedisTimeoutException => new ApiError(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, $"Redis is unavailable: {exception.Message}", 1),
        // Orleans gave up waiting for a grain's answer (its response timeout).
        TimeoutException => new ApiError(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, $"the cluster did not answer in time: {exception.Message}", 1),
        NativeOutOfMemoryException => new ApiError(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, exception.Message, 1),
        _ => new ApiError(StatusCodes.Status500InternalServerError, ErrorCodes.Internal, $"internal error: {exception.GetType().Name}: {exception.Message}"),
    };

    /// <summary>The HTTP status of a codec error code.</summary>
    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.ModelNotFound or ErrorCodes.StreamNotFound => StatusCodes.Status404NotFound,
        ErrorCodes.ModelVersionMismatch or ErrorCodes.IndexOutOfRange => StatusCodes.Status422UnprocessableEntity,
        ErrorCodes.ImageTooLarge or ErrorCodes.BodyTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.SequenceOutOfOrder or ErrorCodes.DimensionMismatch or ErrorCodes.SequenceExhausted => StatusCodes.Status409Conflict,
        ErrorCodes.QueueFull => StatusCodes.Status429TooManyRequests,
        ErrorCodes.Unavailable => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.Internal => StatusCodes.Status500InternalServerError,
        _ => StatusCodes.Status400BadRequest,
    };

    private static ApiError FromImage(ImageFormatException image) => image.Error switch
    {
        ImageError.Empty or ImageError.ZeroSize => new ApiError(StatusCodes.Status400BadRequest, ErrorCodes.ImageEmpty, image.Message),
        ImageError.TooLarge => new ApiError(StatusCodes.Status413PayloadTooLarge, ErrorCodes.ImageTooLarge, image.Message),
        _ => new ApiError(StatusCodes.Status400BadRequest, ErrorCodes.ImageInvalid, image.Message),
    };
}
