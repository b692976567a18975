using Grid.Native;

namespace Grid.Runtime.Tests.Native;

/// <summary>The process-wide inference options; tests that change them share one collection so they never overlap.</summary>
[Collection(InferenceOptionsCollection.Name)]
public sealed class NativeInferenceOptionsTests : IDisposable
{
    public NativeInferenceOptionsTests() => NativeTestData.EnsureRuntime();

    public void Dispose() => NativeRuntime.Inference = new InferenceOptions();

    [Fact]
    public void DefaultsAreFloat32InOnePassDeterministicAndSettingsRoundTrip()
    {
        Assert.Equal(new InferenceOptions(Precision.Fp32, 0, true), NativeRuntime.Inference);

        NativeRuntime.Inference = new InferenceOptions(Precision.Bf16, 64, Deterministic: false);

        Assert.Equal(new InferenceOptions(Precision.Bf16, 64, false), NativeRuntime.Inference);
        Assert.Equal(2, NativeRuntime.Info.Abi);
    }

    [Fact]
    public void OutOfRangeSettingsAreRefusedAndLeaveTheCurrentOnes()
    {
        NativeRuntime.Inference = new InferenceOptions(Precision.Tf32, 8);

        Assert.Throws<ArgumentOutOfRangeException>(() => NativeRuntime.Inference = new InferenceOptions((Precision)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => NativeRuntime.Inference = new InferenceOptions(MaxBatch: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => NativeRuntime.Inference = new InferenceOptions(MaxBatch: InferenceOptions.MaxBatchLimit + 1));
        Assert.Equal(new InferenceOptions(Precision.Tf32, 8), NativeRuntime.Inference);
        Assert.Equal(Precision.Bf16, InferenceOptions.ParsePrecision(" BF16 "));
        Assert.Equal("tf32", InferenceOptions.Name(Precision.Tf32));
        ArgumentException bad = Assert.Throws<ArgumentException>(() => InferenceOptions.ParsePrecision("fp16"));
        Assert.Contains("fp16", bad.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void OnTheCpuPassesAndPrecisionLeaveIndicesAndPixelsBitIdentical(int maxBatch)
    {
        using NativeModel model = NativeTestData.CreateTinyModel(seed: 5);
        const int count = 5;  // not a multiple of the pass sizes: the last pass is shorter
        byte[] images = NativeTestData.Images(count);
        int latent = NativeTestData.Side / ModelConfig.Downsample;
        // Codes taken from the encoder's own outputs, so that the images use many of them (a random codebook
        // sends every position of this tiny model to one code).
        float[] latents = new float[NativeTestData.IndexCount(count) * NativeTestData.TinyConfig.EmbeddingDim];
        model.EncodeLatents(images, count, NativeTestData.Side, NativeTestData.Side, latents);
        model.SetCodebook(latents.AsSpan(0, NativeTestData.TinyConfig.CodebookSize * NativeTestData.TinyConfig.EmbeddingDim));
        ushort[] expected = new ushort[NativeTestData.IndexCount(count)];
        byte[] expectedPixels = new byte[images.Length];
        model.Encode(images, count, NativeTestData.Side, NativeTestData.Side, expected);
        model.Decode(expected, count, latent, latent, expectedPixels);

        NativeRuntime.Inference = new InferenceOptions(Precision.Bf16, maxBatch);
        ushort[] indices = new ushort[expected.Length];
        byte[] pixels = new byte[images.Length];
        model.Encode(images, count, NativeTestData.Side, NativeTestData.Side, indices);
        model.Decode(indices, count, latent, latent, pixels);

        Assert.Equal(expected, indices);
        Assert.Equal(expectedPixels, pixels);
        Assert.True(expected.Distinct().Count() > 8, "the images use many codes");
    }

    [Fact]
    public void WithPassesABadIndexInALaterPassStillFailsBeforeAnythingIsDecoded()
    {
        using NativeModel model = NativeTestData.CreateTinyModel();
        NativeRuntime.Inference = new InferenceOptions(MaxBatch: 1);
        int latent = NativeTestData.Side / ModelConfig.Downsample;
        ushort[] indices = new ushort[NativeTestData.IndexCount(3)];
        indices[^1] = (ushort)NativeTestData.TinyConfig.CodebookSize;
        byte[] pixels = new byte[3 * NativeTestData.Side * NativeTestData.Side * 3];
        Array.Fill(pixels, (byte)77);

        NativeDataException error = Assert.Throws<NativeDataException>(() => model.Decode(indices, 3, latent, latent, pixels));

        Assert.Contains("image 2", error.Message, StringComparison.Ordinal);
        Assert.All(pixels, value => Assert.Equal(77, value));
    }
}

/// <summary>Tests that change <see cref="NativeRuntime.Inference"/> run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class InferenceOptionsCollection
{
    public const string Name = "native inference options";
}
