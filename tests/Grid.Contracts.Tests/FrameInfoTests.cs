using Grid.Contracts.Frames;

namespace Grid.Contracts.Tests;

public sealed class FrameInfoTests
{
    [Theory]
    [InlineData(1, 1, 9, 1, 1, 2)]
    [InlineData(8, 4, 9, 2, 1, 3)]
    [InlineData(256, 256, 9, 64, 64, 4608)]
    [InlineData(2000, 1500, 9, 500, 375, 210938)]
    [InlineData(1999, 1501, 12, 500, 376, 282000)]
    [InlineData(65535, 65535, 16, 16384, 16384, 536870912)]
    public void DerivedSizesFollowTheSpec(int width, int height, int bits, int latentWidth, int latentHeight, int payload)
    {
        var info = new FrameInfo(0, 0, width, height, bits);

        Assert.Equal(latentWidth, info.LatentWidth);
        Assert.Equal(latentHeight, info.LatentHeight);
        Assert.Equal(latentWidth * latentHeight, info.IndexCount);
        Assert.Equal(payload, info.PayloadLength);
        Assert.Equal(31 + payload, info.FrameLength);
    }

    [Fact]
    public void BitsPerIndexDefaultsToNine()
    {
        Assert.Equal(9, new FrameInfo(1, 2, 3, 4).BitsPerIndex);
    }

    [Theory]
    [InlineData(0, 1, 9)]
    [InlineData(1, 0, 9)]
    [InlineData(65536, 1, 9)]
    [InlineData(1, -1, 9)]
    [InlineData(1, 1, 0)]
    [InlineData(1, 1, 17)]
    public void OutOfRangeValuesAreRejectedOnConstruction(int width, int height, int bits)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameInfo(0, 0, width, height, bits));
    }

    [Fact]
    public void WithExpressionsAreValidatedToo()
    {
        FrameInfo info = TestFrames.GoldenInfo;

        Assert.Throws<ArgumentOutOfRangeException>(() => info with { Width = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => info with { Height = 70000 });
        Assert.Throws<ArgumentOutOfRangeException>(() => info with { BitsPerIndex = 17 });
        Assert.Equal(3, (info with { Width = 9 }).LatentWidth);
    }

    [Fact]
    public void EqualityIsByValue()
    {
        Assert.Equal(new FrameInfo(3, 0x1A2B3C4D, 8, 4), TestFrames.GoldenInfo);
        Assert.NotEqual(new FrameInfo(3, 0x1A2B3C4D, 8, 4, 10), TestFrames.GoldenInfo);
    }
}
