using System.Buffers.Binary;

namespace Grid.Contracts.Frames;

/// <summary>
/// Slicing-by-8 CRC-32C for CPUs without SSE4.2. A separate type so its 8 KiB of tables are built only when used.
/// Works on the raw (un-inverted) CRC state.
/// </summary>
internal static class Crc32CSoftware
{
    private const uint ReflectedPolynomial = 0x82F63B78;

    // s_table[k * 256 + b]: the CRC contribution of byte b followed by k zero bytes.
    private static readonly uint[] s_table = BuildTable();

    public static uint Update(uint state, ReadOnlySpan<byte> data)
    {
        uint[] table = s_table;
        while (data.Length >= 8)
        {
            uint low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ state;
            uint high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            state = table[(7 * 256) + (low & 0xFF)]
                ^ table[(6 * 256) + ((low >> 8) & 0xFF)]
                ^ table[(5 * 256) + ((low >> 16) & 0xFF)]
                ^ table[(4 * 256) + (low >> 24)]
                ^ table[(3 * 256) + (high & 0xFF)]
                ^ table[(2 * 256) + ((high >> 8) & 0xFF)]
                ^ table[256 + ((high >> 16) & 0xFF)]
                ^ table[high >> 24];
            data = data[8..];
        }

        foreach (byte value in data)
        {
            state = table[(state ^ value) & 0xFF] ^ (state >> 8);
        }

        return state;
    }

    private static uint[] BuildTable()
    {
        uint[] table = new uint[8 * 256];
        for (uint b = 0; b < 256; b++)
        {
            uint crc = b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ ReflectedPolynomial : crc >> 1;
            }

            table[b] = crc;
        }

        for (int slice = 1; slice < 8; slice++)
        {
            for (int b = 0; b < 256; b++)
            {
                uint previous = table[((slice - 1) * 256) + b];
                table[(slice * 256) + b] = (previous >> 8) ^ table[previous & 0xFF];
            }
        }

        return table;
    }
}
