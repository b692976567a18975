using Grid.Contracts.Api;

namespace Grid.Client.Tests;

/// <summary>Records with recognisable payloads.</summary>
internal static class TestRecords
{
    /// <summary>A record whose payload is <paramref name="length"/> bytes derived from its sequence number.</summary>
    internal static StreamRecord Make(long sequence, int length = 16)
    {
        byte[] payload = new byte[length];
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)(sequence * 31 + i);
        }
        return new StreamRecord(sequence, 7, 1_700_000_000_000 + sequence, payload);
    }

    /// <summary>Whether <paramref name="record"/> is exactly what <see cref="Make"/> gives for its sequence.</summary>
    internal static bool IsIntact(StreamRecord record, int length = 16) =>
        record.ModelVersion == 7 && record.Timestamp == 1_700_000_000_000 + record.Sequence && record.Payload.AsSpan().SequenceEqual(Make(record.Sequence, length).Payload);
}
