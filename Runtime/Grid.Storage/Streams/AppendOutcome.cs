using Grid.Contracts;

namespace Grid.Storage.Streams;

/// <summary>The answer to one appended frame.</summary>
/// <param name="Status">What happened to the frame.</param>
/// <param name="Sequence">The frame's sequence number (the assigned one when the caller left it to the stream).</param>
/// <param name="ModelVersion">
/// Model version of the stored frame: the request's for <see cref="AppendStatus.Stored"/>, the original frame's for
/// <see cref="AppendStatus.Duplicate"/> (so a retry gets the same answer as the original), the request's otherwise.
/// </param>
/// <param name="Bytes">Size of the stored frame, with the same rule as <paramref name="ModelVersion"/>.</param>
/// <param name="Message">Why the frame was rejected; null when it was stored or was a duplicate.</param>
public readonly record struct AppendOutcome(AppendStatus Status, long Sequence, uint ModelVersion, int Bytes, string? Message)
{
    /// <summary>True when the frame is in the stream now: stored by this call or by an earlier one.</summary>
    public bool Accepted => Status is AppendStatus.Stored or AppendStatus.Duplicate;

    /// <summary>The API error code of a rejected frame (<see cref="ErrorCodes"/>); null when <see cref="Accepted"/>.</summary>
    public string? ErrorCode => Status switch
    {
        AppendStatus.OutOfOrder => ErrorCodes.SequenceOutOfOrder,
        AppendStatus.DimensionMismatch => ErrorCodes.DimensionMismatch,
        AppendStatus.Exhausted => ErrorCodes.SequenceExhausted,
        AppendStatus.ReferenceChanged => ErrorCodes.Unavailable,
        _ => null,
    };
}
