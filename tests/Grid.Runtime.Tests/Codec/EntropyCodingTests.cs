using System.Runtime.CompilerServices;
using Grid.Codec;
using Grid.Contracts.Frames;
using Grid.Imaging;
using Grid.Native;
using Grid.TestSupport;

namespace Grid.Runtime.Tests.Codec;

/// <summary>
/// Entropy-coded frames through the codec with the shipped model and prior (models/default): real images, any
/// batch composition and thread count give the same bytes, and decode to exactly the fixed-rate frame's pixels.
/// </summary>
public sealed class EntropyCodingTests
{
    private static readonly Lazy<RgbImage[]> s_images = new(() => LoadImages());

    [Fact]
    public void TheShippedModelLoadsWithItsPrior()
    {
        using VqCodec codec = VqCodec.Load(TestPaths.InRepo("models", "default"));

        Assert.NotNull(codec.Prior);
        Assert.Equal(codec.Fingerprint, codec.Prior.ModelFingerprint);
    }

    [Theory]
    [InlineData(FrameCoding.Baseline)]
    [InlineData(FrameCoding.Learned)]
    public void FramesAreTheSameAtAnyBatchSizeAndThreadCountAndDecodeToTheFixedRatePixels(FrameCoding coding)
    {
        using VqCodec codec = VqCodec.Load(TestPaths.InRepo("models", "default"));
        RgbImage[] images = s_images.Value;
        int before = NativeRuntime.Threads;
        try
        {
            NativeRuntime.Threads = 1;
            byte[][] reference = [.. images.Select(image => codec.Encode(image, coding))];
            byte[][] fixedRate = codec.EncodeBatch(images);
            RgbImage[] fixedPixels = codec.DecodeBatch(fixedRate);
            foreach (int threads in new[] { 1, 2 })
            {
                NativeRuntime.Threads = threads;
                foreach (int batch in new[] { 1, 4, images.Length })
                {
                    byte[][] frames = [.. images.Chunk(batch).SelectMany(chunk => codec.EncodeBatch(chunk, coding))];
                    Assert.Equal(reference, frames);
                    RgbImage[] decoded = codec.DecodeBatch(frames);
                    for (int i = 0; i < images.Length; i++)
                    {
                        Assert.Equal(fixedPixels[i].Pixels, decoded[i].Pixels);
                    }
                }
            }

            for (int i = 0; i < images.Length; i++)
            {
                Assert.Equal(VqfFormat.EntropyVersion, VqfEntropyReader.PeekVersion(reference[i]));
                Assert.Equal(
                    VqfReader.ReadIndices(fixedRate[i], out _),
                    codec.ReadIndices(reference[i], default, out _));
            }
        }
        finally
        {
            NativeRuntime.Threads = before;
        }
    }

    [Fact]
    public void OnANaturalImageLearnedCodingIsSmallerThanBaselineAndFixedRate()
    {
        using VqCodec codec = VqCodec.Load(TestPaths.InRepo("models", "default"));
        RgbImage natural = s_images.Value[0];

        int fixedRate = codec.Encode(natural).Length;
        int baseline = codec.Encode(natural, FrameCoding.Baseline).Length;
        int learned = codec.Encode(natural, FrameCoding.Learned).Length;

        Assert.True(baseline < fixedRate, $"baseline {baseline} bytes, fixed rate {fixedRate}");
        Assert.True(learned < baseline, $"learned {learned} bytes, baseline {baseline}");
    }

    [Fact]
    public void AModelWithoutAPriorRefusesLearnedCodingAndLearnedFrames()
    {
        string root = CodecTestData.TempDirectory();
        try
        {
            using VqCodec tiny = VqCodec.Load(CodecTestData.CreateModelDirectory(root));
            using VqCodec shipped = VqCodec.Load(TestPaths.InRepo("models", "default"));
            RgbImage image = CodecTestData.Image(40, 24);

            Assert.Null(tiny.Prior);
            FileNotFoundException missing = Assert.Throws<FileNotFoundException>(() => tiny.Encode(image, FrameCoding.Learned));
            Assert.Contains("train-prior", missing.Message, StringComparison.Ordinal);
            Assert.Equal(image.Width, tiny.Decode(tiny.Encode(image, FrameCoding.Baseline)).Width);
            Assert.Throws<ModelMismatchException>(() => tiny.Decode(shipped.Encode(image, FrameCoding.Learned)));
        }
        finally
        {
            TestPaths.DeleteDirectory(root);
        }
    }

    [Fact]
    public void APriorOfAnotherModelIsRefusedWhenTheDirectoryLoads()
    {
        string root = CodecTestData.TempDirectory();
        try
        {
            string directory = CodecTestData.CreateModelDirectory(root);
            File.Copy(TestPaths.InRepo("models", "default", "prior.bin"), Path.Combine(directory, "prior.bin"));

            InvalidDataException error = Assert.Throws<InvalidDataException>(() => VqCodec.Load(directory));
            Assert.Contains("was trained for model 42749bc9", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            TestPaths.DeleteDirectory(root);
        }
    }

    private static RgbImage[] LoadImages([CallerFilePath] string sourceFile = "")
    {
        string fixtures = Path.Combine(Path.GetDirectoryName(sourceFile)!, "..", "Fixtures");
        RgbImage natural = ImageFile.Read(Path.Combine(fixtures, "Evaluation", "natural-192.png"));
        var images = new List<RgbImage> { natural };
        foreach ((int x, int y, int w, int h) in new[] { (0, 0, 96, 96), (50, 20, 128, 64), (17, 33, 61, 47), (100, 100, 92, 92), (3, 150, 189, 42) })
        {
            images.Add(natural.Crop(x, y, w, h));
        }

        images.AddRange(Directory.EnumerateFiles(Path.Combine(fixtures, "Imaging"), "*.png").Order(StringComparer.Ordinal).Select(path => ImageFile.Read(path)));
        images.Add(CodecTestData.Image(64, 48, 5));
        return [.. images];
    }
}
