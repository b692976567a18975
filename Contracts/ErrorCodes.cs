using Grid.Contracts.Frames;

namespace Grid.Contracts;

/// <summary>
/// Machine-readable error codes returned by Grid's HTTP API in <see cref="ErrorResponse.Code"/>. Stable strings in
/// snake_case: clients switch on them, so a code is never renamed or reused for another meaning.
/// </summary>
public static class ErrorCodes
{
    /// <summary>A frame ends before its header or declared payload does.</summary>
    public const string FrameTruncated = "frame_truncated";

    /// <summary>A frame's CRC32C does not match its bytes: corrupted in storage or transit.</summary>
    public const string FrameChecksum = "frame_checksum";

    /// <summary>A frame is malformed: bad magic, unknown version or flags, inconsistent header, trailing bytes, padding.</summary>
    public const string FrameInvalid = "frame_invalid";

    /// <summary>An uploaded image could not be decoded (corrupt or not the format it claims).</summary>
    public const string ImageInvalid = "image_invalid";

    /// <summary>An image's width or height exceeds the configured (or format) limit.</summary>
    public const string ImageTooLarge = "image_too_large";

    /// <summary>An image has no pixels or the request carried no image bytes.</summary>
    public const string ImageEmpty = "image_empty";

    /// <summary>The request's content type is not an accepted image or frame type.</summary>
    public const string UnsupportedMediaType = "unsupported_media_type";

    /// <summary>A frame was encoded by a model (version or fingerprint) other than the one asked to decode it.</summary>
    public const string ModelVersionMismatch = "model_version_mismatch";

    /// <summary>A codebook index is not below the codebook size of the decoding model.</summary>
    public const string IndexOutOfRange = "index_out_of_range";

    /// <summary>The named stream does not exist.</summary>
    public const string StreamNotFound = "stream_not_found";

    /// <summary>A frame with this sequence number was already accepted for the stream.</summary>
    public const string DuplicateSequence = "duplicate_sequence";

    /// <summary>A frame's sequence number skips ahead of the next one the stream expects.</summary>
    public const string SequenceGap = "sequence_gap";

    /// <summary>
    /// A frame's sequence number is below the stream's last one and was never stored: frames arrive in order
    /// (gaps are allowed, going back is not).
    /// </summary>
    public const string SequenceOutOfOrder = "sequence_out_of_order";

    /// <summary>A frame's image size differs from the size the stream was created with.</summary>
    public const string DimensionMismatch = "dimension_mismatch";

    /// <summary>The named model version does not exist (or was retired).</summary>
    public const string ModelNotFound = "model_not_found";

    /// <summary>The named refresh cycle does not exist (or its record expired after a week).</summary>
    public const string CycleNotFound = "cycle_not_found";

    /// <summary>The service is not ready (model loading, Redis unreachable, shutting down); retry later.</summary>
    public const string Unavailable = "unavailable";

    /// <summary>The work queue is at capacity; retry later (HTTP 429/503).</summary>
    public const string QueueFull = "queue_full";

    /// <summary>The request body exceeds the configured size limit.</summary>
    public const string BodyTooLarge = "body_too_large";

    /// <summary>A request parameter is missing or out of range.</summary>
    public const string InvalidArgument = "invalid_argument";

    /// <summary>The server failed on a valid request (HTTP 500); the message says what. Retrying may help.</summary>
    public const string Internal = "internal";

    /// <summary>The request carries no API key, or one the silo does not know (HTTP 401).</summary>
    public const string Unauthenticated = "unauthenticated";

    /// <summary>The API key is valid but lacks the scope (admin) or tenant the request needs (HTTP 403).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>The named API key does not exist (or was revoked).</summary>
    public const string KeyNotFound = "key_not_found";

    /// <summary>The tenant sent more requests per second than its limit allows (HTTP 429 with Retry-After).</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>The tenant is at its quota of streams (HTTP 403) or stored bytes (HTTP 507).</summary>
    public const string QuotaExceeded = "quota_exceeded";

    /// <summary>A stream's sequence numbers are used up: no number above its last one is in the accepted range.</summary>
    public const string SequenceExhausted = "sequence_exhausted";

    /// <summary>Every code above, for validation and documentation.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        FrameTruncated, FrameChecksum, FrameInvalid, ImageInvalid, ImageTooLarge, ImageEmpty, UnsupportedMediaType,
        ModelVersionMismatch, IndexOutOfRange, StreamNotFound, DuplicateSequence, SequenceGap, SequenceOutOfOrder,
        DimensionMismatch, ModelNotFound, CycleNotFound, Unavailable, QueueFull, BodyTooLarge, InvalidArgument, Internal,
        Unauthenticated, Forbidden, KeyNotFound, RateLimited, QuotaExceeded, SequenceExhausted,
    ];

    /// <summary>The API code for a rejected frame: truncation, checksum, or any other defect.</summary>
    /// <param name="error">Why the frame was rejected.</param>
    /// <returns><see cref="FrameTruncated"/>, <see cref="FrameChecksum"/> or <see cref="FrameInvalid"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A value that is not a defined <see cref="FrameError"/>.</exception>
    public static string FromFrameError(FrameError error) => error switch
    {
        FrameError.TooShort or FrameError.Truncated => FrameTruncated,
        FrameError.ChecksumMismatch => FrameChecksum,
        FrameError.BadMagic or FrameError.UnsupportedVersion or FrameError.UnknownFlags
            or FrameError.InvalidDimensions or FrameError.LatentSizeMismatch or FrameError.InvalidBitsPerIndex
            or FrameError.PayloadLengthMismatch or FrameError.TrailingBytes or FrameError.NonZeroPadding
            or FrameError.PayloadUndecodable or FrameError.UnknownCoding or FrameError.UnknownKind
            or FrameError.InconsistentHeader or FrameError.PayloadTooLarge or FrameError.IndexChecksumMismatch => FrameInvalid,
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, "not a defined FrameError"),
    };
}
