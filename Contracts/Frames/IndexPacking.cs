using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Grid.Contracts.Frames;

/// <summary>
/// Packs codebook indices into a VQF payload and back: index i occupies bits [i*b, (i+1)*b) of the payload read
/// as a little-endian bit stream (bit k of the stream is bit k % 8 of byte k / 8); unused high bits of the last
/// byte are 0. Both directions move whole machine words through a 64-bit accumulator, never single bits.
/// </summary>
public static class IndexPacking
{
    /// <summary>Payload bytes needed for <paramref name="count"/> indices of <paramref name="bits"/> bits each.</summary>
    /// <param name="count">Number of indices, 0 or more.</param>
    /// <param name="bits">Bits per index, 1 to 16.</param>
    /// <returns>ceil(count * bits / 8).</returns>
    /// <exception cref="ArgumentOutOfRangeException">A negative count, bits outside 1..16, or a length above int.MaxValue.</exception>
    public static int PackedLength(int count, int bits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ThrowIfInvalidBits(bits);
        long length = (((long)count * bits) + 7) / 8;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, int.MaxValue, nameof(count));
        return (int)length;
    }

    /// <summary>
    /// Packs <paramref name="indices"/> into the first <see cref="PackedLength"/> bytes of <paramref name="payload"/>;
    /// later bytes are left alone. Nothing is written when an argument is rejected.
    /// </summary>
    /// <param name="indices">Indices in row-major order; each must be below 2^<paramref name="bits"/>.</param>
    /// <param name="bits">Bits per index, 1 to 16.</param>
    /// <param name="payload">Destination, at least <see cref="PackedLength"/> bytes.</param>
    /// <exception cref="ArgumentException">An index does not fit in <paramref name="bits"/> bits, or the payload is too small.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is outside 1..16.</exception>
    public static void Pack(ReadOnlySpan<ushort> indices, int bits, Span<byte> payload)
    {
        int length = PackedLength(indices.Length, bits);
        if (payload.Length < length)
        {
            throw new ArgumentException(
                $"payload holds {payload.Length} bytes; {indices.Length} indices of {bits} bits need {length}",
                nameof(payload));
        }

        int bad = IndexOfOutOfRange(indices, bits);
        if (bad >= 0)
        {
            throw new ArgumentException(
                $"index {indices[bad]} at position {bad} does not fit in {bits} bits (maximum {(1 << bits) - 1})",
                nameof(indices));
        }

        PackUnchecked(indices, bits, payload[..length]);
    }

    /// <summary>
    /// Unpacks <paramref name="indices"/>.Length indices of <paramref name="bits"/> bits from the start of
    /// <paramref name="payload"/>. Padding bits are ignored here; <see cref="VqfReader"/> checks them.
    /// </summary>
    /// <param name="payload">Packed indices, at least <see cref="PackedLength"/> bytes.</param>
    /// <param name="bits">Bits per index, 1 to 16.</param>
    /// <param name="indices">Destination; its length is the number of indices to read.</param>
    /// <exception cref="ArgumentException">The payload is shorter than the indices need.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is outside 1..16.</exception>
    public static void Unpack(ReadOnlySpan<byte> payload, int bits, Span<ushort> indices)
    {
        int length = PackedLength(indices.Length, bits);
        if (payload.Length < length)
        {
            throw new ArgumentException(
                $"payload holds {payload.Length} bytes; {indices.Length} indices of {bits} bits need {length}",
                nameof(payload));
        }

        UnpackUnchecked(payload, bits, indices);
    }

    /// <summary>Position of the first index that does not fit in <paramref name="bits"/> bits, or -1 (vectorized).</summary>
    internal static int IndexOfOutOfRange(ReadOnlySpan<ushort> indices, int bits) =>
        bits >= 16 ? -1 : indices.IndexOfAnyInRange((ushort)(1 << bits), ushort.MaxValue);

    /// <summary>Packs indices already known to fit; <paramref name="payload"/> is exactly the packed length.</summary>
    internal static void PackUnchecked(ReadOnlySpan<ushort> indices, int bits, Span<byte> payload)
    {
        ref ushort source = ref MemoryMarshal.GetReference(indices);
        ref byte destination = ref MemoryMarshal.GetReference(payload);
        int count = indices.Length;
        int length = payload.Length;

        // acc holds `filled` (< 8 between steps) pending bits above which everything is zero. Each step ORs in three
        // indices (at most 48 bits, so filled stays below 56), stores all 8 bytes of acc at `position` without a
        // branch, and moves `position` past the whole bytes; the zero bytes stored ahead are overwritten later.
        // Three indices per step shorten the loop-carried chain through acc and filled to a third.
        ulong acc = 0;
        int filled = 0;
        int position = 0;
        int i = 0;
        int twoBits = 2 * bits;
        int threeBits = 3 * bits;
        for (; i <= count - 3 && position <= length - sizeof(ulong); i += 3)
        {
            ulong group = Unsafe.Add(ref source, i)
                | ((ulong)Unsafe.Add(ref source, i + 1) << bits)
                | ((ulong)Unsafe.Add(ref source, i + 2) << twoBits);
            acc |= group << filled;
            filled += threeBits;
            WriteUInt64LittleEndian(ref Unsafe.Add(ref destination, position), acc);
            int wholeBytes = filled >> 3;
            position += wholeBytes;
            acc >>= wholeBytes << 3;
            filled &= 7;
        }

        // The last few indices, where an 8-byte store would run past the payload or fewer than three remain.
        for (; i < count; i++)
        {
            acc |= (ulong)Unsafe.Add(ref source, i) << filled;
            filled += bits;
            while (filled >= 8)
            {
                payload[position++] = (byte)acc;
                acc >>= 8;
                filled -= 8;
            }
        }

        if (filled > 0)
        {
            payload[position++] = (byte)acc;
        }

        Debug.Assert(position == length, "packed length and bytes written disagree");
    }

    private static void UnpackUnchecked(ReadOnlySpan<byte> payload, int bits, Span<ushort> indices)
    {
        ref byte source = ref MemoryMarshal.GetReference(payload);
        ref ushort destination = ref MemoryMarshal.GetReference(indices);
        int count = indices.Length;
        uint mask = (1u << bits) - 1;

        // Each index is read independently with one 8-byte load at its first byte (an index spans at most 3 bytes).
        // Indices whose load would pass the end of the payload take the byte-wise path below.
        int fastCount = payload.Length < sizeof(ulong)
            ? 0
            : (int)Math.Min(count, ((((long)payload.Length - sizeof(ulong)) * 8) + 7) / bits + 1);

        long bitPosition = 0;
        int i = 0;
        for (; i < fastCount; i++, bitPosition += bits)
        {
            ulong word = ReadUInt64LittleEndian(ref Unsafe.Add(ref source, (nint)(bitPosition >> 3)));
            Unsafe.Add(ref destination, i) = (ushort)((uint)(word >> (int)(bitPosition & 7)) & mask);
        }

        for (; i < count; i++, bitPosition += bits)
        {
            int first = (int)(bitPosition >> 3);
            uint word = 0;
            for (int k = 0; k < 3 && first + k < payload.Length; k++)
            {
                word |= (uint)payload[first + k] << (8 * k);
            }

            indices[i] = (ushort)((word >> (int)(bitPosition & 7)) & mask);
        }
    }

    private static void ThrowIfInvalidBits(int bits, [CallerArgumentExpression(nameof(bits))] string? name = null)
    {
        if (bits is < VqfFormat.MinBitsPerIndex or > VqfFormat.MaxBitsPerIndex)
        {
            throw new ArgumentOutOfRangeException(name, bits, $"bits per index must be 1..16, got {bits}");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteUInt64LittleEndian(ref byte destination, ulong value) =>
        Unsafe.WriteUnaligned(ref destination, BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadUInt64LittleEndian(ref byte source)
    {
        ulong value = Unsafe.ReadUnaligned<ulong>(ref source);
        return BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);
    }
}
