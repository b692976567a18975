using Grid.Codec;
using Grid.Native;
using Grid.TestSupport;

namespace Grid.Silo.Tests;

/// <summary>Untrained models written as model directories: tiny ones for tests, full-size ones for benchmarks.</summary>
internal static class TinyModel
{
    /// <summary>
    /// Codebook size of the test models: 500 still needs 9 bits per index, so a frame can carry an index the codebook
    /// lacks (511), which <c>index_out_of_range</c> tests need.
    /// </summary>
    public const int CodebookSize = 500;

    /// <summary>Writes a model of <paramref name="version"/> with weights from <paramref name="seed"/> into a new temporary directory.</summary>
    public static string Write(uint version, ulong seed = 1) =>
        Write(new ModelConfig(16, 8, 2, 8, CodebookSize), $"grid-model-v{version}", version, seed);

    /// <summary>
    /// The default architecture, untrained (version 1): the same compute per image as a trained model, which is what
    /// benchmarks need.
    /// </summary>
    public static string WriteFullSize() => Write(new ModelConfig(), "grid-model-full", version: 1, seed: 1);

    private static string Write(ModelConfig config, string name, uint version, ulong seed)
    {
        string directory = TestPaths.CreateTempDirectory(name);
        using NativeModel model = NativeModel.Create(config, "cpu", seed);
        byte[] weights = model.Save();
        ModelDirectory.Write(directory, ModelDirectory.CardFor(model, weights, version), weights);
        return directory;
    }
}
