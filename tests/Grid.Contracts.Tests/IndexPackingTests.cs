using Grid.Contracts.Frames;

namespace Grid.Contracts.Tests;

public sealed class IndexPackingTests
{
    [Theory]
    [InlineData(0, 9, 0)]
    [InlineData(1, 9, 2)]
    [InlineData(2, 9, 3)]
    [InlineData(8, 9, 9)]
    [InlineData(4096, 9, 4608)]
    [InlineData(7, 1, 1)]
    [InlineData(9, 1, 2)]
    [InlineData(3, 16, 6)]
    public void PackedLengthIsCeilingOfTotalBitsOverEight(int count, int bits, int expected)
    {
        Assert.Equal(expected, IndexPacking.PackedLength(count, bits));
    }

    [Fact]
    public void PacksTheGoldenIndicesLsbFirst()
    {
        byte[] payload = new byte[3];

        IndexPacking.Pack([1, 511], 9, payload);

        Assert.Equal(new byte[] { 0x01, 0xFE, 0x03 }, payload);
    }

    [Fact]
    public void PacksOneBitIndicesInStreamOrder()
    {
        byte[] payload = new byte[2];

        IndexPacking.Pack([1, 0, 0, 0, 0, 0, 0, 1, 1], 1, payload);

        Assert.Equal(new byte[] { 0x81, 0x01 }, payload);
    }

    [Fact]
    public void PackMatchesBitwiseReferenceAndUnpackInvertsItForEveryWidthAndManyCounts()
    {
        var random = new Random(11);
        for (int bits = 1; bits <= 16; bits++)
        {
            foreach (int count in Enumerable.Range(0, 40).Concat([63, 64, 65, 127, 1000, 4096]))
            {
                ushort[] indices = TestFrames.RandomIndices(random, count, bits);
                byte[] expected = ReferencePack(indices, bits);
                byte[] payload = new byte[IndexPacking.PackedLength(count, bits)];

                IndexPacking.Pack(indices, bits, payload);
                ushort[] unpacked = new ushort[count];
                IndexPacking.Unpack(payload, bits, unpacked);

                Assert.Equal(expected, payload);
                Assert.Equal(indices, unpacked);
            }
        }
    }

    [Fact]
    public void PackOfAllOnesLeavesPaddingBitsZero()
    {
        ushort[] indices = Enumerable.Repeat((ushort)511, 5).ToArray();
        byte[] payload = Enumerable.Repeat((byte)0xFF, 10).ToArray();

        IndexPacking.Pack(indices, 9, payload);

        // 45 bits: 5 full bytes, then 5 used bits in byte 5; bytes past the packed length are not touched.
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF }, payload);
    }

    [Fact]
    public void UnpackReadsFromALargerPayloadWithoutTouchingExtraDestination()
    {
        byte[] payload = [0x01, 0xFE, 0x03, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF, 0x11];
        ushort[] indices = new ushort[2];

        IndexPacking.Unpack(payload, 9, indices);

        Assert.Equal(new ushort[] { 1, 511 }, indices);
    }

    [Fact]
    public void PackRejectsAnIndexThatDoesNotFitAndWritesNothing()
    {
        byte[] payload = new byte[4];

        var error = Assert.Throws<ArgumentException>(() => IndexPacking.Pack([1, 2, 512], 9, payload));

        Assert.Equal("indices", error.ParamName);
        Assert.StartsWith("index 512 at position 2 does not fit in 9 bits (maximum 511)", error.Message, StringComparison.Ordinal);
        Assert.All(payload, b => Assert.Equal(0, b));
    }

    [Fact]
    public void PackAndUnpackRejectTooSmallSpans()
    {
        Assert.Throws<ArgumentException>(() => IndexPacking.Pack([1, 2], 9, new byte[2]));
        Assert.Throws<ArgumentException>(() => IndexPacking.Unpack(new byte[2], 9, new ushort[2]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    [InlineData(-1)]
    public void BitWidthsOutsideOneToSixteenAreRejected(int bits)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => IndexPacking.Pack([0], bits, new byte[8]));
        Assert.Throws<ArgumentOutOfRangeException>(() => IndexPacking.Unpack(new byte[8], bits, new ushort[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => IndexPacking.PackedLength(1, bits));
    }

    // One bit at a time: slow and obviously right, the yardstick for the word-at-a-time code.
    private static byte[] ReferencePack(ushort[] indices, int bits)
    {
        byte[] payload = new byte[((indices.Length * bits) + 7) / 8];
        for (int i = 0; i < indices.Length; i++)
        {
            for (int b = 0; b < bits; b++)
            {
                if (((indices[i] >> b) & 1) != 0)
                {
                    int k = (i * bits) + b;
                    payload[k / 8] |= (byte)(1 << (k % 8));
                }
            }
        }

        return payload;
    }
}
