namespace Grid.Grains.Abstractions;

/// <summary>What became of an append.</summary>
/// <param name="Status"><c>stored</c>, <c>duplicate</c> or <c>rejected</c>.</param>
/// <param name="Sequence">The frame's sequence number (the assigned one when the caller gave none).</param>
/// <param name="ModelVersion">The model version of the stored frame (of the first one, for a duplicate).</param>
/// <param name="Bytes">Stored bytes.</param>
/// <param name="ErrorCode">Why it was rejected (Grid.Contracts.ErrorCodes); null otherwise.</param>
/// <param name="Message">The rejection's message.</param>
[GenerateSerializer, Immutable]
public sealed record StreamAppendReply(
    [property: Id(0)] string Status,
    [property: Id(1)] long Sequence,
    [property: Id(2)] uint ModelVersion,
    [property: Id(3)] int Bytes,
    [property: Id(4)] string? ErrorCode = null,
    [property: Id(5)] string? Message = null)
{
    /// <summary>Status of a stored frame.</summary>
    public const string Stored = "stored";

    /// <summary>Status of a retry of a stored sequence number.</summary>
    public const string Duplicate = "duplicate";

    /// <summary>Status of a refused frame.</summary>
    public const string Rejected = "rejected";
}
