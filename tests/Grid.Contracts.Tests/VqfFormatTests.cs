using System.Text;
using Grid.Contracts.Frames;

namespace Grid.Contracts.Tests;

public sealed class VqfFormatTests
{
    [Fact]
    public void ConstantsMatchTheSpec()
    {
        Assert.Equal("VQF1"u8.ToArray(), VqfFormat.Magic.ToArray());
        Assert.Equal(1, VqfFormat.CurrentVersion);
        Assert.Equal(31, VqfFormat.HeaderLength);
        Assert.Equal(4, VqfFormat.BlockSize);
        Assert.Equal(65535, VqfFormat.MaxSide);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(5, 3)]
    [InlineData(256, 8)]
    [InlineData(257, 9)]
    [InlineData(512, 9)]
    [InlineData(513, 10)]
    [InlineData(65536, 16)]
    public void BitsForCodebookIsCeilingOfLogTwo(int codebookSize, int bits)
    {
        Assert.Equal(bits, VqfFormat.BitsForCodebook(codebookSize));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(65537)]
    public void BitsForCodebookRejectsSizesOutsideTwoTo65536(int codebookSize)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => VqfFormat.BitsForCodebook(codebookSize));
    }

    [Fact]
    public void FingerprintIsFirstFourBytesOfSha256BigEndianAndFormatsAsItsHexPrefix()
    {
        // SHA-256("abc") = ba7816bf 8f01cfea ...
        byte[] weights = Encoding.ASCII.GetBytes("abc");

        uint fingerprint = VqfFormat.ComputeFingerprint(weights);
        using var stream = new MemoryStream(weights);

        Assert.Equal(0xBA7816BFu, fingerprint);
        Assert.Equal(fingerprint, VqfFormat.ComputeFingerprint(stream));
        Assert.Equal("ba7816bf", VqfFormat.FormatFingerprint(fingerprint));
        Assert.Equal("00000000", VqfFormat.FormatFingerprint(0));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(4, 1)]
    [InlineData(5, 2)]
    [InlineData(65535, 16384)]
    public void LatentSideIsCeilingOfSideOverFour(int pixels, int latent)
    {
        Assert.Equal(latent, VqfFormat.LatentSide(pixels));
    }
}
