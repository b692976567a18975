using System.Security.Cryptography;
using Grid.Native;

namespace Grid.Runtime.Tests.Native;

public sealed class NativeModelTests
{
    [Fact]
    public void CreateReportsConfigDeviceAndParameterCount()
    {
        using NativeModel model = NativeTestData.CreateTinyModel();

        Assert.Equal(NativeTestData.TinyConfig, model.Config);
        Assert.Equal("cpu", model.Device);
        // encoder 3->8 (4x4), 8->16 (4x4), 16->16 (3x3), residual 16->8 (3x3) + 8->16 (1x1), 16->8 (1x1);
        // codebook 32 x 8; decoder 8->16 (3x3), residual, 16->8 (4x4 transposed), 8->3 (4x4 transposed).
        long residual = (16 * 8 * 9) + 8 + (8 * 16) + 16;
        long encoder = (3 * 8 * 16) + 8 + (8 * 16 * 16) + 16 + (16 * 16 * 9) + 16 + residual + (16 * 8) + 8;
        long decoder = (8 * 16 * 9) + 16 + residual + (16 * 8 * 16) + 8 + (8 * 3 * 16) + 3;
        Assert.Equal(encoder + (32 * 8) + decoder, model.ParameterCount);
    }

    [Fact]
    public void EncodeAndDecodeProduceTheDocumentedShapes()
    {
        using NativeModel model = NativeTestData.CreateTinyModel();
        const int count = 3;
        const int height = 16;
        const int width = 24;
        byte[] pixels = NativeTestData.Images(count, 24)[..(count * height * width * 3)];
        ushort[] indices = new ushort[count * (height / 4) * (width / 4)];

        model.Encode(pixels, count, height, width, indices);
        byte[] decoded = new byte[pixels.Length];
        model.Decode(indices, count, height / 4, width / 4, decoded);
        float[] latents = new float[count * (height / 4) * (width / 4) * model.Config.EmbeddingDim];
        model.EncodeLatents(pixels, count, height, width, latents);

        Assert.All(indices, index => Assert.InRange(index, 0, model.Config.CodebookSize - 1));
        Assert.Contains(decoded, value => value != 0);
        Assert.All(latents, value => Assert.True(float.IsFinite(value)));
    }

    [Fact]
    public void EncodeIndicesAreTheNearestCodesOfTheLatents()
    {
        using NativeModel model = NativeTestData.CreateTinyModel();
        AssertIndicesAreNearestCodes(model, NativeTestData.Images(2), 2, NativeTestData.Side, NativeTestData.Side);
    }

    [Fact]
    public void EncodeIndicesAreTheNearestCodesAcrossScoreChunks()
    {
        // The library scores latents against the codebook in chunks of 16 Mi scores: 32768 rows at K = 512. Three
        // 512 x 512 images give 49152 rows, so the second chunk is a partial one.
        NativeTestData.EnsureRuntime();
        using NativeModel model = NativeModel.Create(NativeTestData.TinyConfig with { CodebookSize = 512 }, "cpu", seed: 4);
        AssertIndicesAreNearestCodes(model, NativeTestData.Images(3, side: 512), 3, 512, 512);
    }

    private static void AssertIndicesAreNearestCodes(NativeModel model, byte[] pixels, int count, int height, int width)
    {
        int positions = count * (height / 4) * (width / 4);
        int dim = model.Config.EmbeddingDim;
        ushort[] indices = new ushort[positions];
        float[] latents = new float[positions * dim];
        model.Encode(pixels, count, height, width, indices);
        model.EncodeLatents(pixels, count, height, width, latents);
        float[] codebook = model.GetCodebook();

        for (int p = 0; p < positions; p++)
        {
            double Distance(int code)
            {
                double sum = 0;
                for (int d = 0; d < dim; d++)
                {
                    double difference = latents[(p * dim) + d] - codebook[(code * dim) + d];
                    sum += difference * difference;
                }

                return sum;
            }

            double best = Enumerable.Range(0, model.Config.CodebookSize).Min(Distance);
            Assert.True(Distance(indices[p]) <= best + 1e-6, $"position {p}: index {indices[p]} is not the nearest code");
        }
    }

    [Fact]
    public void EncodingIsDeterministicWithinAModelAndAcrossModelsLoadedFromTheSameBytes()
    {
        using NativeModel model = NativeTestData.CreateTinyModel(seed: 5);
        byte[] weights = model.Save();
        using NativeModel first = NativeModel.Load(weights);
        using NativeModel second = NativeModel.Load(weights);
        byte[] pixels = NativeTestData.Images(4);
        ushort[] Encode(NativeModel m)
        {
            ushort[] indices = new ushort[NativeTestData.IndexCount(4)];
            m.Encode(pixels, 4, NativeTestData.Side, NativeTestData.Side, indices);
            return indices;
        }

        ushort[] reference = Encode(model);
        Assert.Equal(reference, Encode(model));
        Assert.Equal(reference, Encode(first));
        Assert.Equal(reference, Encode(second));
    }

    [Fact]
    public void SaveThenLoadGivesIdenticalIndicesAndBitIdenticalDecode()
    {
        using NativeModel model = NativeTestData.CreateTinyModel(seed: 9);
        byte[] pixels = NativeTestData.Images(3);
        ushort[] indices = new ushort[NativeTestData.IndexCount(3)];
        model.Encode(pixels, 3, NativeTestData.Side, NativeTestData.Side, indices);
        byte[] decoded = new byte[pixels.Length];
        model.Decode(indices, 3, 4, 4, decoded);

        using NativeModel loaded = NativeModel.Load(model.Save());
        ushort[] loadedIndices = new ushort[indices.Length];
        loaded.Encode(pixels, 3, NativeTestData.Side, NativeTestData.Side, loadedIndices);
        byte[] loadedDecoded = new byte[pixels.Length];
        loaded.Decode(indices, 3, 4, 4, loadedDecoded);

        Assert.Equal(indices, loadedIndices);
        Assert.Equal(decoded, loadedDecoded);
        Assert.Equal(model.GetCodebook(), loaded.GetCodebook());
    }

    [Fact]
    public void SaveBytesDependOnlyOnTheWeights()
    {
        using NativeModel a = NativeTestData.CreateTinyModel(seed: 3);
        using NativeModel b = NativeTestData.CreateTinyModel(seed: 3);
        using NativeModel other = NativeTestData.CreateTinyModel(seed: 4);
        byte[] saved = a.Save();

        Assert.Equal(saved, b.Save());
        Assert.Equal(saved, a.Save());
        using NativeModel reloaded = NativeModel.Load(saved);
        Assert.Equal(SHA256.HashData(saved), SHA256.HashData(reloaded.Save()));
        Assert.NotEqual(saved, other.Save());
        Assert.Equal("GRIDW"u8.ToArray(), saved[..5]);
        Assert.Equal(5 + 4 + 20 + 4 + (4 * (int)a.ParameterCount) + TensorHeaderBytes(a), saved.Length);
    }

    [Fact]
    public void DecodeIsBitIdenticalAcrossRepeatsAndBatchings()
    {
        using NativeModel model = NativeTestData.CreateTinyModel(seed: 2);
        var random = new Random(1);
        ushort[] indices = new ushort[NativeTestData.IndexCount(4)];
        for (int i = 0; i < indices.Length; i++)
        {
            indices[i] = (ushort)random.Next(model.Config.CodebookSize);
        }

        byte[] batch = new byte[4 * 16 * 16 * 3];
        byte[] again = new byte[batch.Length];
        model.Decode(indices, 4, 4, 4, batch);
        model.Decode(indices, 4, 4, 4, again);
        Assert.Equal(batch, again);

        // Decoding image 2 alone: oneDNN may pick other kernels for another batch size, which can move a value
        // by float rounding (seen on encoder outputs of images up to 64 px, never on bytes so far); at most 1.
        byte[] single = new byte[16 * 16 * 3];
        model.Decode(indices.AsSpan(2 * 16, 16), 1, 4, 4, single);
        byte[] inBatch = batch.AsSpan(2 * single.Length, single.Length).ToArray();
        Assert.All(Enumerable.Range(0, single.Length), i => Assert.InRange(Math.Abs(single[i] - inBatch[i]), 0, 1));
    }

    [Fact]
    public void CodebookRoundTripsAndChangesEncoding()
    {
        using NativeModel model = NativeTestData.CreateTinyModel();
        float[] codebook = model.GetCodebook();
        Assert.Equal(model.Config.CodebookSize * model.Config.EmbeddingDim, codebook.Length);

        float[] replaced = new float[codebook.Length];
        Array.Fill(replaced, 100f);
        replaced.AsSpan(5 * 8, 8).Clear();  // code 5 is the only one near the (small) latents
        model.SetCodebook(replaced);
        Assert.Equal(replaced, model.GetCodebook());

        ushort[] indices = new ushort[NativeTestData.IndexCount(2)];
        model.Encode(NativeTestData.Images(2), 2, 16, 16, indices);
        Assert.All(indices, index => Assert.Equal(5, index));
    }

    [Fact]
    public void CorruptedOrTruncatedWeightsThrowNativeDataException()
    {
        using NativeModel model = NativeTestData.CreateTinyModel();
        byte[] weights = model.Save();

        byte[] badMagic = (byte[])weights.Clone();
        badMagic[0] = (byte)'X';
        Assert.Contains("magic", Assert.Throws<NativeDataException>(() => NativeModel.Load(badMagic)).Message);

        byte[] badVersion = (byte[])weights.Clone();
        badVersion[5] = 9;
        Assert.Contains("version 9", Assert.Throws<NativeDataException>(() => NativeModel.Load(badVersion)).Message);

        byte[] badConfig = (byte[])weights.Clone();
        BitConverter.TryWriteBytes(badConfig.AsSpan(9 + 16), 70000);  // codebook_size
        Assert.Contains("codebook_size", Assert.Throws<NativeDataException>(() => NativeModel.Load(badConfig)).Message);

        Assert.Contains("truncated", Assert.Throws<NativeDataException>(() => NativeModel.Load(weights.AsSpan(..^1))).Message);
        Assert.Contains("truncated", Assert.Throws<NativeDataException>(() => NativeModel.Load(weights.AsSpan(..40))).Message);
        Assert.Contains("trailing", Assert.Throws<NativeDataException>(() => NativeModel.Load([.. weights, 0])).Message);

        byte[] badName = (byte[])weights.Clone();
        badName[33 + 2] = (byte)'X';  // first letter of the first tensor's name ("encoder.conv1.weight")
        Assert.Contains("named", Assert.Throws<NativeDataException>(() => NativeModel.Load(badName)).Message);

        byte[] badShape = (byte[])weights.Clone();
        int firstDims = 33 + 2 + "encoder.conv1.weight".Length + 1;
        BitConverter.TryWriteBytes(badShape.AsSpan(firstDims), 9L);
        Assert.Contains("shape [9, 3, 4, 4]", Assert.Throws<NativeDataException>(() => NativeModel.Load(badShape)).Message);

        byte[] notFinite = (byte[])weights.Clone();
        BitConverter.TryWriteBytes(notFinite.AsSpan(firstDims + 32), float.NaN);
        Assert.Contains("non-finite", Assert.Throws<NativeDataException>(() => NativeModel.Load(notFinite)).Message);
    }

    [Fact]
    public void DisposeIsIdempotentAndUseAfterDisposeThrows()
    {
        NativeModel model = NativeTestData.CreateTinyModel();
        model.Dispose();
        model.Dispose();

        Assert.Throws<ObjectDisposedException>(() => model.Save());
        Assert.Throws<ObjectDisposedException>(() => model.GetCodebook());
        Assert.Throws<ObjectDisposedException>(
            () => model.Encode(new byte[16 * 16 * 3], 1, 16, 16, new ushort[16]));
    }

    [Fact]
    public void DefaultSizeModelEncodesDecodesAndRoundTrips()
    {
        NativeTestData.EnsureRuntime();
        using NativeModel model = NativeModel.Create(new ModelConfig(), "cpu", seed: 42);
        Assert.Equal(new ModelConfig(128, 32, 2, 64, 512), model.Config);
        byte[] pixels = NativeTestData.Images(2, side: 64);
        ushort[] indices = new ushort[NativeTestData.IndexCount(2, 64)];
        model.Encode(pixels, 2, 64, 64, indices);
        byte[] decoded = new byte[pixels.Length];
        model.Decode(indices, 2, 16, 16, decoded);

        using NativeModel loaded = NativeModel.Load(model.Save());
        ushort[] loadedIndices = new ushort[indices.Length];
        loaded.Encode(pixels, 2, 64, 64, loadedIndices);
        byte[] loadedDecoded = new byte[decoded.Length];
        loaded.Decode(indices, 2, 16, 16, loadedDecoded);
        Assert.Equal(indices, loadedIndices);
        Assert.Equal(decoded, loadedDecoded);
        Assert.True(model.ParameterCount > 500_000);
    }

    // Per tensor: name length (2) + name + rank (1) + 8 per dimension.
    private static int TensorHeaderBytes(NativeModel model)
    {
        ModelConfig c = model.Config;
        string[] convolutions =
        [
            "encoder.conv1", "encoder.conv2", "encoder.conv3", .. ResidualNames("encoder", c.ResidualBlocks),
            "encoder.pre_quantization", "decoder.conv1", .. ResidualNames("decoder", c.ResidualBlocks),
            "decoder.deconv1", "decoder.deconv2",
        ];
        int bytes = 2 + "quantizer.codebook".Length + 1 + 16;
        foreach (string name in convolutions)
        {
            bytes += 2 + (name + ".weight").Length + 1 + 32 + 2 + (name + ".bias").Length + 1 + 8;
        }

        return bytes;
    }

    private static IEnumerable<string> ResidualNames(string part, int blocks) =>
        Enumerable.Range(0, blocks).SelectMany(i => new[] { $"{part}.residual.conv3x3_{i}", $"{part}.residual.conv1x1_{i}" });
}
