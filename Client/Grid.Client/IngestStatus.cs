using Grid.Contracts.Api;

namespace Grid.Client;

/// <summary>The values of <see cref="IngestAck.Status"/>.</summary>
public static class IngestStatus
{
    /// <summary>The frame was stored.</summary>
    public const string Stored = "stored";

    /// <summary>The sequence number was already stored; nothing changed (a repeat is a success).</summary>
    public const string Duplicate = "duplicate";

    /// <summary>The frame was refused; <see cref="IngestAck.Code"/> and <see cref="IngestAck.Message"/> say why.</summary>
    public const string Error = "error";

    /// <summary>Whether <paramref name="ack"/> reports a refusal.</summary>
    public static bool IsError(IngestAck ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        return ack.Status == Error;
    }
}
