using Grid.Codec;
using Grid.Contracts.Frames;
using Grid.Entropy;
using Grid.Imaging;

namespace Grid.Runtime.Tests.Codec;

/// <summary>Quality levels in the codec: each level round-trips to the true size, and is the standard frame of the resampled image.</summary>
[Collection(Grid.Runtime.Tests.Native.InferenceOptionsCollection.Name)]
public sealed class QualityLevelTests : IDisposable
{
    private readonly string _root = CodecTestData.TempDirectory();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(FrameCoding.Fixed, 37, 23)]
    [InlineData(FrameCoding.Baseline, 37, 23)]
    [InlineData(FrameCoding.Baseline, 1, 1)]
    [InlineData(FrameCoding.Fixed, 64, 48)]
    public void EveryLevelDecodesToTheTrueSizeWithTheIndicesOfItsCodedSize(FrameCoding coding, int width, int height)
    {
        using VqCodec codec = VqCodec.Load(CodecTestData.CreateModelDirectory(_root, version: 4));
        RgbImage image = CodecTestData.Image(width, height);
        int previousIndices = 0;

        foreach (FrameQuality quality in FrameQualities.All)
        {
            byte[] frame = codec.Encode(image, coding, quality);
            (FrameInfo info, _) = EntropyFrames.ReadHeader(frame);
            RgbImage decoded = codec.Decode(frame);

            Assert.Equal(quality, info.Quality);
            Assert.Equal((width, height), (info.Width, info.Height));
            Assert.Equal((width, height), (decoded.Width, decoded.Height));
            int codedWidth = FrameQualities.CodedSide(width, quality);
            int codedHeight = FrameQualities.CodedSide(height, quality);
            Assert.Equal(((codedWidth + 3) / 4, (codedHeight + 3) / 4), (info.LatentWidth, info.LatentHeight));
            Assert.True(info.IndexCount >= previousIndices, $"{quality}: {info.IndexCount} indices after {previousIndices}");
            previousIndices = info.IndexCount;
        }
    }

    [Fact]
    public void StandardIsTheFrameWithoutALevel()
    {
        using VqCodec codec = VqCodec.Load(CodecTestData.CreateModelDirectory(_root, version: 4));
        RgbImage image = CodecTestData.Image(37, 23);

        Assert.Equal(codec.Encode(image, FrameCoding.Baseline), codec.Encode(image, FrameCoding.Baseline, FrameQuality.Standard));
        Assert.Equal(codec.Encode(image), codec.Encode(image, FrameCoding.Fixed, FrameQuality.Standard));
        Assert.Equal(0, codec.Encode(image, FrameCoding.Fixed, FrameQuality.Standard)[5]);
    }

    [Theory]
    [InlineData(FrameQuality.Low)]
    [InlineData(FrameQuality.High)]
    [InlineData(FrameQuality.Max)]
    public void AScaledFrameIsTheStandardFrameOfTheResampledImageResampledBack(FrameQuality quality)
    {
        using VqCodec codec = VqCodec.Load(CodecTestData.CreateModelDirectory(_root, version: 4));
        RgbImage image = CodecTestData.Image(45, 30);
        var info = new FrameInfo(4, codec.Fingerprint, 45, 30, codec.BitsPerIndex, quality);
        RgbImage resampled = Resampler.Resize(image, info.CodedWidth, info.CodedHeight);

        byte[] scaled = codec.Encode(image, FrameCoding.Fixed, quality);
        byte[] standard = codec.Encode(resampled, FrameCoding.Fixed);

        Assert.Equal(VqfReader.ReadIndices(standard, out _), VqfReader.ReadIndices(scaled, out FrameInfo read));
        Assert.Equal(info, read);
        Assert.Equal(Resampler.Resize(codec.Decode(standard), 45, 30).Pixels, codec.Decode(scaled).Pixels);
    }

    [Fact]
    public void ABatchOfMixedLevelsGivesTheSameFramesAsOneByOne()
    {
        using VqCodec codec = VqCodec.Load(CodecTestData.CreateModelDirectory(_root, version: 4));
        RgbImage[] images = [CodecTestData.Image(32, 16, 1), CodecTestData.Image(16, 8, 2), CodecTestData.Image(32, 16, 3), CodecTestData.Image(21, 13, 4)];
        FrameQuality[] qualities = [FrameQuality.Low, FrameQuality.Standard, FrameQuality.Standard, FrameQuality.Max];

        byte[][] batch = codec.EncodeBatch(images, FrameCoding.Baseline, qualities);
        RgbImage[] decoded = codec.DecodeBatch(batch);

        for (int i = 0; i < images.Length; i++)
        {
            Assert.Equal(codec.Encode(images[i], FrameCoding.Baseline, qualities[i]), batch[i]);
            Assert.Equal(codec.Decode(batch[i]).Pixels, decoded[i].Pixels);
            Assert.Equal((images[i].Width, images[i].Height), (decoded[i].Width, decoded[i].Height));
        }
    }
}
