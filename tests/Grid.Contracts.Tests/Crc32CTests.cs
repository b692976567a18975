using System.Text;
using Grid.Contracts.Frames;

namespace Grid.Contracts.Tests;

public sealed class Crc32CTests
{
    public static TheoryData<string, uint> TextVectors => new()
    {
        { "", 0x00000000 },
        { "123456789", 0xE3069283 },
        { "a", 0xC1D04330 },
        { "The quick brown fox jumps over the lazy dog", 0x22620404 },
    };

    [Theory]
    [MemberData(nameof(TextVectors))]
    public void ComputeMatchesKnownTextVectors(string text, uint expected)
    {
        byte[] data = Encoding.ASCII.GetBytes(text);

        Assert.Equal(expected, Crc32C.Compute(data));
        Assert.Equal(expected, Crc32C.Compute(data.AsSpan(0, data.Length / 2), data.AsSpan(data.Length / 2)));
    }

    // RFC 3720 (iSCSI) appendix B.4 vectors.
    [Fact]
    public void ComputeMatchesIscsiVectors()
    {
        byte[] zeros = new byte[32];
        byte[] ones = Enumerable.Repeat((byte)0xFF, 32).ToArray();
        byte[] ascending = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        byte[] descending = Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray();

        Assert.Equal(0x8A9136AAu, Crc32C.Compute(zeros));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(ones));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(ascending));
        Assert.Equal(0x113FDB5Cu, Crc32C.Compute(descending));
    }

    [Fact]
    public void ComputeAgreesWithBitwiseReferenceOnRandomData()
    {
        var random = new Random(20261123);
        byte[] buffer = new byte[5003];
        random.NextBytes(buffer);
        var lengths = Enumerable.Range(0, 70).Concat([255, 256, 257, 1023, 4096, 4999]);

        foreach (int length in lengths)
        {
            // Start at an odd offset so the wide reads are unaligned.
            ReadOnlySpan<byte> data = buffer.AsSpan(3, length);
            uint expected = BitwiseCrc32C(data);

            Assert.Equal(expected, Crc32C.Compute(data));
        }
    }

    [Fact]
    public void ComputeOfTwoPiecesEqualsComputeOfTheWhole()
    {
        var random = new Random(7);
        byte[] data = new byte[1000];
        random.NextBytes(data);
        uint whole = BitwiseCrc32C(data);

        foreach (int split in new[] { 0, 1, 7, 8, 27, 500, 999, 1000 })
        {
            Assert.Equal(whole, Crc32C.Compute(data.AsSpan(0, split), data.AsSpan(split)));
        }
    }

    [Fact]
    public void TwoPieceComputeStartsAfreshOnEveryCallOnTheSameThread()
    {
        byte[] a = Encoding.ASCII.GetBytes("header");
        byte[] b = Encoding.ASCII.GetBytes("payload");

        uint first = Crc32C.Compute(a, b);
        uint second = Crc32C.Compute(a, b);

        Assert.Equal(first, second);
        Assert.Equal(BitwiseCrc32C([.. a, .. b]), first);
    }

    [Fact]
    public void SingleBitFlipsChangeTheCrc()
    {
        byte[] data = Encoding.ASCII.GetBytes("a VQF header and payload");
        uint original = Crc32C.Compute(data);

        for (int bit = 0; bit < data.Length * 8; bit++)
        {
            data[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(original, Crc32C.Compute(data));
            data[bit / 8] ^= (byte)(1 << (bit % 8));
        }
    }

    private static uint BitwiseCrc32C(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte value in data)
        {
            crc ^= value;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78 : crc >> 1;
            }
        }

        return ~crc;
    }
}
