using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Grid.Contracts.Frames;

/// <summary>
/// CRC-32C (Castagnoli; reflected polynomial 0x82F63B78, initial value and final XOR 0xFFFFFFFF), the checksum of
/// VQF frames. Uses the SSE4.2 <c>crc32</c> instruction when the CPU has it, otherwise a slicing-by-8 table.
/// </summary>
public static class Crc32C
{
    /// <summary>Computes the CRC-32C of <paramref name="data"/>. <c>Compute("123456789"u8)</c> is 0xE3069283.</summary>
    /// <param name="data">The bytes to checksum.</param>
    /// <returns>The finished CRC (final XOR applied).</returns>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>
    /// Continues a CRC over more bytes: <c>Append(Compute(a), b) == Compute(a + b)</c>, so data in pieces (a frame's
    /// header, then its payload) is checksummed without copying it together.
    /// </summary>
    /// <param name="crc">A finished CRC returned by <see cref="Compute"/> or <see cref="Append"/>; 0 to start.</param>
    /// <param name="data">The bytes that follow those already covered by <paramref name="crc"/>.</param>
    /// <returns>The finished CRC of everything so far.</returns>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint state = ~crc;
        state = Sse42.IsSupported ? UpdateHardware(state, data) : Crc32CSoftware.Update(state, data);
        return ~state;
    }

    /// <summary>Whether <see cref="Append"/> uses the SSE4.2 instruction on this machine.</summary>
    internal static bool IsHardwareAccelerated => Sse42.IsSupported;

    /// <summary>The table-driven path, whatever the CPU: for tests that compare both paths.</summary>
    internal static uint AppendSoftware(uint crc, ReadOnlySpan<byte> data) => ~Crc32CSoftware.Update(~crc, data);

    /// <summary>The SSE4.2 path; throws <see cref="PlatformNotSupportedException"/> on a CPU without it.</summary>
    internal static uint AppendHardware(uint crc, ReadOnlySpan<byte> data)
    {
        if (!Sse42.IsSupported)
        {
            throw new PlatformNotSupportedException("this CPU has no SSE4.2 crc32 instruction");
        }

        return ~UpdateHardware(~crc, data);
    }

    // x86 is little-endian, so the unaligned reads below feed bytes to crc32 in stream order.
    private static uint UpdateHardware(uint state, ReadOnlySpan<byte> data)
    {
        ref byte start = ref MemoryMarshal.GetReference(data);
        int length = data.Length;
        int offset = 0;
        if (Sse42.X64.IsSupported)
        {
            ulong wide = state;
            for (; offset <= length - sizeof(ulong); offset += sizeof(ulong))
            {
                wide = Sse42.X64.Crc32(wide, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, offset)));
            }

            state = (uint)wide;
        }

        for (; offset <= length - sizeof(uint); offset += sizeof(uint))
        {
            state = Sse42.Crc32(state, Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref start, offset)));
        }

        for (; offset < length; offset++)
        {
            state = Sse42.Crc32(state, Unsafe.Add(ref start, offset));
        }

        return state;
    }
}
