namespace Grid.Contracts.Api;

/// <summary>The accepted range of stream sequence numbers (docs/api.md, docs/security.md).</summary>
public static class StreamSequences
{
    /// <summary>
    /// The highest sequence number a stream accepts: 2^53 - 1, the largest integer a JSON number (and JavaScript)
    /// holds exactly. Every <c>last + 1</c> computed from it stays far from overflowing a 64-bit integer.
    /// </summary>
    public const long Max = (1L << 53) - 1;

    /// <summary>True when <paramref name="sequence"/> is in 0..<see cref="Max"/>.</summary>
    public static bool IsValid(long sequence) => sequence is >= 0 and <= Max;
}
