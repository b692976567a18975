using System.IO.Hashing;

namespace Grid.Contracts.Frames;

/// <summary>
/// CRC-32C (Castagnoli; reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF), the checksum of
/// VQF frames. A thin entry point over <see cref="Crc32"/> with <see cref="Crc32ParameterSet.Crc32C"/> from
/// System.IO.Hashing, which picks the CPU's CRC instructions itself.
/// </summary>
public static class Crc32C
{
    [ThreadStatic]
    private static Crc32? t_hasher;

    /// <summary>Computes the CRC-32C of <paramref name="data"/>. <c>Compute("123456789"u8)</c> is 0xE3069283.</summary>
    /// <param name="data">The bytes to checksum.</param>
    /// <returns>The finished CRC (final XOR applied).</returns>
    public static uint Compute(ReadOnlySpan<byte> data) => Crc32.HashToUInt32(Crc32ParameterSet.Crc32C, data);

    /// <summary>
    /// Computes the CRC-32C of <paramref name="first"/> followed by <paramref name="second"/> without copying them
    /// together: <c>Compute(a, b) == Compute(a + b)</c>. A frame's CRC covers its header, then its payload.
    /// </summary>
    /// <param name="first">The leading bytes (a frame's header up to the CRC field).</param>
    /// <param name="second">The bytes that follow (the payload).</param>
    /// <returns>The finished CRC (final XOR applied).</returns>
    public static uint Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        Crc32 hasher = t_hasher ??= new Crc32(Crc32ParameterSet.Crc32C);
        hasher.Reset();
        hasher.Append(first);
        hasher.Append(second);
        return hasher.GetCurrentHashAsUInt32();
    }
}
