using Grid.Contracts;
using Grid.Contracts.Frames;
using Grid.Codec;
using Grid.Imaging;
using Grid.Native;

namespace Grid.Runtime.Tests.Codec;

[Collection(Grid.Runtime.Tests.Native.InferenceOptionsCollection.Name)]
public sealed class VqCodecTests : IDisposable
{
    private readonly string _root = CodecTestData.TempDirectory();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(16, 16)]
    [InlineData(1, 1)]
    [InlineData(37, 23)]
    [InlineData(130, 66)]
    public void EncodeWritesAFrameOfTheTrueSizeAndDecodeCropsBack(int width, int height)
    {
        using VqCodec codec = VqCodec.Load(CodecTestData.CreateModelDirectory(_root, version: 7));
        RgbImage image = CodecTestData.Image(width, height);

        byte[] frame = codec.Encode(image);
        FrameInfo info = VqfReader.ReadInfo(frame);
        RgbImage decoded = codec.Decode(frame);

        Assert.Equal((width, height), (info.Width, info.Height));
        Assert.Equal(((width + 3) / 4, (height + 3) / 4), (info.LatentWidth, info.LatentHeight));
        Assert.Equal(9, info.BitsPerIndex);
        Assert.Equal(7u, info.ModelVersion);
        Assert.Equal(codec.Fingerprint, info.ModelFingerprint);
        Assert.Equal((width, height), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void BatchEncodingGivesTheSameFramesAsOneByOne()
    {
        using VqCodec codec = VqCodec.Load(CodecTestData.CreateModelDirectory(_root));
        RgbImage[] images = [CodecTestData.Image(32, 32, 1), CodecTestData.Image(30, 18, 2), CodecTestData.Image(32, 32, 3), CodecTestData.Image(31, 29, 4)];

        byte[][] batch = codec.EncodeBatch(images);

        for (int i = 0; i < images.Length; i++)
        {
            Assert.Equal(codec.Encode(images[i]), batch[i]);
        }
        RgbImage[] decoded = codec.DecodeBatch(batch);
        for (int i = 0; i < images.Length; i++)
        {
            Assert.Equal(codec.Decode(batch[i]).Pixels, decoded[i].Pixels);
        }
    }

    [Fact]
    public void FramesCarryNoDeviceOrPrecisionAndTheCpuPathIgnoresBoth()
    {
        // A frame names its model by version and the fingerprint of the weights bytes, which are the same on any
        // device (docs/weights-format.md); nothing in it depends on where or in which precision it was encoded, so a
        // frame written by a GPU silo decodes on a CPU silo and the other way round (the GPU run, docs/gpu.md,
        // checks the decode across devices). On the CPU, precision and device passes change no byte.
        string directory = CodecTestData.CreateModelDirectory(_root, version: 3);
        RgbImage[] images = [CodecTestData.Image(40, 24, 1), CodecTestData.Image(33, 17, 2), CodecTestData.Image(40, 24, 3)];
        using VqCodec codec = VqCodec.Load(directory);
        byte[][] frames = codec.EncodeBatch(images);
        byte[][] pixels = codec.DecodeBatch(frames).Select(image => image.Pixels).ToArray();
        byte[][] framesWithOptions;
        byte[][] pixelsWithOptions;
        try
        {
            NativeRuntime.Inference = new InferenceOptions(Precision.Bf16, MaxBatch: 1);
            using VqCodec other = VqCodec.Load(directory);
            framesWithOptions = other.EncodeBatch(images);
            pixelsWithOptions = other.DecodeBatch(frames).Select(image => image.Pixels).ToArray();
        }
        finally
        {
            NativeRuntime.Inference = new InferenceOptions();
        }

        FrameInfo info = VqfReader.ReadInfo(frames[0]);
        Assert.Equal(3u, info.ModelVersion);
        Assert.Equal(VqfFormat.ComputeFingerprint(codec.Model.Save()), info.ModelFingerprint);
        Assert.Equal(frames, framesWithOptions);
        Assert.Equal(pixels, pixelsWithOptions);
    }

    [Fact]
    public void AFrameDecodesBitIdenticallyAfterTheModelIsReloaded()
    {
        string directory = CodecTestData.CreateModelDirectory(_root);
        RgbImage image = CodecTestData.Image(48, 40);
        byte[] frame;
        byte[] first;
        using (VqCodec codec = VqCodec.Load(directory))
        {
            frame = codec.Encode(image);
            first = codec.Decode(frame).Pixels;
        }

        using VqCodec reloaded = VqCodec.Load(directory);

        Assert.Equal(frame, reloaded.Encode(image));
        Assert.Equal(first, reloaded.Decode(frame).Pixels);
    }

    [Fact]
    public void AFrameOfAnotherVersionIsRefusedNamingBoth()
    {
        using VqCodec v1 = VqCodec.Load(CodecTestData.CreateModelDirectory(_root, version: 1));
        using VqCodec v2 = VqCodec.Load(CodecTestData.CreateModelDirectory(_root, version: 2, seed: 2));
        byte[] frame = v1.Encode(CodecTestData.Image(16, 16));

        ModelMismatchException error = Assert.Throws<ModelMismatchException>(() => v2.Decode(frame));

        Assert.Contains("version 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("version 2", error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.ModelVersionMismatch, error.Code);
    }

    [Fact]
    public void AFrameOfADifferentModelWithTheSameVersionIsRefusedByFingerprint()
    {
        using VqCodec a = VqCodec.Load(CodecTestData.CreateModelDirectory(_root, version: 1, seed: 1));
        using VqCodec b = VqCodec.Load(CodecTestData.CreateModelDirectory(_root, version: 1, seed: 2));
        byte[] frame = a.Encode(CodecTestData.Image(16, 16));

        ModelMismatchException error = Assert.Throws<ModelMismatchException>(() => b.Decode(frame));

        Assert.Contains("fingerprint", error.Message, StringComparison.Ordinal);
        Assert.Contains(VqfFormat.FormatFingerprint(a.Fingerprint), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnIndexBeyondTheCodebookIsAnErrorNotGarbage()
    {
        using VqCodec codec = VqCodec.Load(CodecTestData.CreateModelDirectory(_root, config: new(16, 8, 1, 8, 300)));
        Assert.Equal(9, codec.BitsPerIndex);
        ushort[] indices = [1, 2, 3, 299, 300, 5, 6, 7, 8];
        byte[] frame = VqfWriter.Write(new FrameInfo(codec.Version, codec.Fingerprint, 12, 12, 9), indices);

        CodecException error = Assert.Throws<CodecException>(() => codec.Decode(frame));

        Assert.Equal(ErrorCodes.IndexOutOfRange, error.Code);
        Assert.Contains("300", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACorruptedFrameIsRejectedBeforeDecoding()
    {
        using VqCodec codec = VqCodec.Load(CodecTestData.CreateModelDirectory(_root));
        byte[] frame = codec.Encode(CodecTestData.Image(20, 20));
        frame[^1] ^= 0x10;

        FrameFormatException error = Assert.Throws<FrameFormatException>(() => codec.Decode(frame));

        Assert.Equal(FrameError.ChecksumMismatch, error.Error);
    }

    [Fact]
    public void AModelDirectoryWhoseCardDoesNotMatchItsWeightsIsRefused()
    {
        string a = CodecTestData.CreateModelDirectory(_root, seed: 1);
        string b = CodecTestData.CreateModelDirectory(_root, seed: 2);
        File.Copy(Path.Combine(b, ModelDirectory.WeightsFile), Path.Combine(a, ModelDirectory.WeightsFile), overwrite: true);

        InvalidDataException error = Assert.Throws<InvalidDataException>(() => VqCodec.Load(a));

        Assert.Contains("do not belong together", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingModelDirectoryIsReportedWithItsPath()
    {
        string missing = Path.Combine(_root, "nope");

        DirectoryNotFoundException error = Assert.Throws<DirectoryNotFoundException>(() => VqCodec.Load(missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheCardRoundTripsThroughJson()
    {
        string directory = CodecTestData.CreateModelDirectory(_root, version: 42);
        (ModelCard card, byte[] weights) = ModelDirectory.Read(directory);

        ModelCard again = ModelCard.FromJson(card.ToJson(), "test");

        Assert.Equal(42u, again.Version);
        Assert.Equal(card.Config, again.Config);
        Assert.Equal(VqfFormat.FormatFingerprint(VqfFormat.ComputeFingerprint(weights)), again.Fingerprint);
        Assert.Contains("\"codebook_size\": 512", card.ToJson(), StringComparison.Ordinal);
    }
}
