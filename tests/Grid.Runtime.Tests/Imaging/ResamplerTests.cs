using System.Security.Cryptography;
using Grid.Imaging;

namespace Grid.Runtime.Tests.Imaging;

/// <summary>The quality levels' resampler: flat stays flat, shrinking averages, and the bytes are pinned.</summary>
public sealed class ResamplerTests
{
    [Fact]
    public void ResamplingKeepsFlatImagesFlatAndAveragesWhenShrinking()
    {
        var flat = new RgbImage(10, 6, Enumerable.Repeat((byte)77, 10 * 6 * 3).ToArray());
        Assert.All(Resampler.Resize(flat, 23, 17).Pixels, v => Assert.Equal(77, v));
        Assert.All(Resampler.Resize(flat, 3, 2).Pixels, v => Assert.Equal(77, v));
        var white = new RgbImage(5, 5, Enumerable.Repeat((byte)255, 5 * 5 * 3).ToArray());
        Assert.All(Resampler.Resize(white, 8, 3).Pixels, v => Assert.Equal(255, v));

        // Columns alternating 0 and 200: halving the width averages them (nearest neighbour would give 0 or 200;
        // at the borders the filter is cut and renormalised, so a little off 100).
        byte[] stripes = new byte[8 * 4 * 3];
        for (int i = 0; i < stripes.Length; i++)
        {
            stripes[i] = (byte)((i / 3) % 2 == 0 ? 0 : 200);
        }

        RgbImage half = Resampler.Resize(new RgbImage(8, 4, stripes), 4, 4);
        Assert.All(half.Pixels, v => Assert.InRange(v, 80, 120));
        Assert.Equal(stripes, Resampler.Resize(new RgbImage(8, 4, stripes), 8, 4).Pixels);
        Assert.Throws<ArgumentOutOfRangeException>(() => Resampler.Resize(flat, 0, 4));
    }

    [Fact]
    public void UpscalingInterpolatesBetweenNeighbours()
    {
        // Two pixels, 0 and 200, doubled: the outer ones keep their values, the inner ones are 1/4 and 3/4 of the way.
        RgbImage twice = Resampler.Resize(new RgbImage(2, 1, [0, 0, 0, 200, 200, 200]), 4, 1);

        Assert.Equal([0, 0, 0, 50, 50, 50, 150, 150, 150, 200, 200, 200], twice.Pixels);
    }

    /// <summary>
    /// The hashes were reproduced independently by a Python implementation of the filter as docs/frame-format.md
    /// describes it (double weights, 14-bit quantisation with the remainder on the largest weight, integer passes).
    /// </summary>
    [Fact]
    public void TheBytesArePinnedSoThatEveryMachineDecodesTheSameImage()
    {
        byte[] pixels = new byte[37 * 23 * 3];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)((i * 7919) ^ (i >> 3));
        }

        var image = new RgbImage(37, 23, pixels);
        string Hash(RgbImage resized) => Convert.ToHexString(SHA256.HashData(resized.Pixels))[..16];

        Assert.Equal(PinnedDown, Hash(Resampler.Resize(image, 19, 12)));
        Assert.Equal(PinnedUp, Hash(Resampler.Resize(image, 56, 35)));
    }

    private const string PinnedDown = "F77ED52522E84DA1";
    private const string PinnedUp = "41235441D21C491B";
}
