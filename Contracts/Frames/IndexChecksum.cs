using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Grid.Contracts.Frames;

/// <summary>The checksum a version 2 frame carries of its decoded indices: CRC-32C of the indices as little-endian u16.</summary>
public static class IndexChecksum
{
    /// <summary>Computes the checksum of <paramref name="indices"/>.</summary>
    public static uint Compute(ReadOnlySpan<ushort> indices)
    {
        if (BitConverter.IsLittleEndian)
        {
            return Crc32C.Compute(MemoryMarshal.AsBytes(indices));
        }

        byte[] bytes = new byte[indices.Length * 2];
        for (int i = 0; i < indices.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 2), indices[i]);
        }

        return Crc32C.Compute(bytes);
    }
}
