using Grid.Contracts.Frames;

namespace Grid.Contracts.Tests;

public sealed class VqfGoldenFrameTests
{
    [Fact]
    public void WriterProducesTheHandWrittenBytes()
    {
        byte[] frame = VqfWriter.Write(TestFrames.GoldenInfo, TestFrames.GoldenIndices);

        Assert.Equal(TestFrames.Golden, frame);
    }

    [Fact]
    public void ReaderDecodesTheHandWrittenBytes()
    {
        ushort[] indices = VqfReader.ReadIndices(TestFrames.Golden, out FrameInfo info);

        Assert.Equal(TestFrames.GoldenInfo, info);
        Assert.Equal(TestFrames.GoldenIndices, indices);
        Assert.Equal((2, 1, 2, 3, 34), (info.LatentWidth, info.LatentHeight, info.IndexCount, info.PayloadLength, info.FrameLength));
        Assert.Equal("1a2b3c4d", info.FingerprintHex);
    }

    [Fact]
    public void CrcCoversHeaderBytesZeroToTwentySixThenThePayload()
    {
        byte[] frame = TestFrames.Golden;
        byte[] covered = [.. frame.AsSpan(0, 27), .. frame.AsSpan(31)];

        Assert.Equal(0xE2F0254Eu, Crc32C.Compute(covered));
    }

    [Fact]
    public void WriteIntoASpanReturnsTheFrameLengthAndLeavesTheRestAlone()
    {
        byte[] destination = Enumerable.Repeat((byte)0xEE, 40).ToArray();

        int written = VqfWriter.Write(TestFrames.GoldenInfo, TestFrames.GoldenIndices, destination);

        Assert.Equal(34, written);
        Assert.Equal(TestFrames.Golden, destination[..34]);
        Assert.All(destination[34..], b => Assert.Equal(0xEE, b));
    }

    [Fact]
    public void ReadHeaderNeedsOnlyTheFirstThirtyOneBytes()
    {
        FrameInfo info = VqfReader.ReadHeader(TestFrames.Golden.AsSpan(0, 31));

        Assert.Equal(TestFrames.GoldenInfo, info);
        Assert.Equal(34, info.FrameLength);
    }
}
