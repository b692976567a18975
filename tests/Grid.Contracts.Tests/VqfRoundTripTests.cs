using Grid.Contracts.Frames;

namespace Grid.Contracts.Tests;

public sealed class VqfRoundTripTests
{
    public static TheoryData<int> BitWidths => [1, 7, 8, 9, 12, 16];

    [Theory]
    [MemberData(nameof(BitWidths))]
    public void RandomSizesAndIndicesSurviveWriteThenRead(int bits)
    {
        var random = new Random(1000 + bits);
        var sizes = new List<(int Width, int Height)> { (1, 1), (1, 2), (3, 1), (4, 4), (5, 5), (7, 3), (2000, 1500), (1999, 1501) };
        for (int i = 0; i < 25; i++)
        {
            // Mostly odd sides, so the last latent column and row cover a partial block.
            sizes.Add((random.Next(1, 1001) | 1, random.Next(1, 751) | 1));
        }

        foreach ((int width, int height) in sizes)
        {
            var info = new FrameInfo((uint)random.Next(), (uint)random.Next(), width, height, bits);
            ushort[] indices = TestFrames.RandomIndices(random, info.IndexCount, bits);

            byte[] frame = VqfWriter.Write(info, indices);
            ushort[] read = VqfReader.ReadIndices(frame, out FrameInfo readInfo);

            Assert.Equal(info.FrameLength, frame.Length);
            Assert.Equal(info, readInfo);
            Assert.Equal(indices, read);
        }
    }

    [Fact]
    public void ExtremeShapesRoundTrip()
    {
        var random = new Random(3);
        foreach ((int width, int height) in new[] { (65535, 1), (1, 65535), (65535, 4), (4, 65533) })
        {
            var info = new FrameInfo(uint.MaxValue, uint.MaxValue, width, height, 16);
            ushort[] indices = TestFrames.RandomIndices(random, info.IndexCount, 16);
            indices[^1] = ushort.MaxValue;

            byte[] frame = VqfWriter.Write(info, indices);

            Assert.Equal(indices, VqfReader.ReadIndices(frame, out FrameInfo readInfo));
            Assert.Equal(info, readInfo);
        }
    }

    [Fact]
    public void ReadIntoASpanFillsOnlyTheIndexCount()
    {
        ushort[] destination = Enumerable.Repeat((ushort)7777, 5).ToArray();

        VqfReader.ReadIndices(TestFrames.Golden, destination, out FrameInfo info);

        Assert.Equal(TestFrames.GoldenInfo, info);
        Assert.Equal(new ushort[] { 1, 511, 7777, 7777, 7777 }, destination);
    }

    [Fact]
    public void ReadIntoATooSmallSpanIsAnArgumentError()
    {
        var error = Assert.Throws<ArgumentException>(() => VqfReader.ReadIndices(TestFrames.Golden, new ushort[1], out _));

        Assert.Equal("destination", error.ParamName);
    }

    [Fact]
    public void AnInvalidFrameIsReportedBeforeATooSmallSpan()
    {
        byte[] frame = TestFrames.Golden;
        frame[^1] ^= 0x01;

        var error = Assert.Throws<FrameFormatException>(() => VqfReader.ReadIndices(frame, new ushort[1], out _));

        Assert.Equal(FrameError.ChecksumMismatch, error.Error);
    }
}
