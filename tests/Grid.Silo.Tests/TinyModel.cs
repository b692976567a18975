using Grid.Grains.Codec;
using Grid.Grains.Native;
using Grid.TestSupport;

namespace Grid.Silo.Tests;

/// <summary>Small untrained models written as model directories (fast to create, load and run).</summary>
internal static class TinyModel
{
    /// <summary>
    /// Codebook size of the test models: 500 still needs 9 bits per index, so a frame can carry an index the codebook
    /// lacks (511), which <c>index_out_of_range</c> tests need.
    /// </summary>
    public const int CodebookSize = 500;

    /// <summary>Writes a model of <paramref name="version"/> with weights from <paramref name="seed"/> into a new temporary directory.</summary>
    public static string Write(uint version, ulong seed = 1)
    {
        string directory = TestPaths.CreateTempDirectory($"grid-model-v{version}");
        using NativeModel model = NativeModel.Create(new ModelConfig(16, 8, 2, 8, CodebookSize), "cpu", seed);
        byte[] weights = model.Save();
        ModelDirectory.Write(directory, ModelDirectory.CardFor(model, weights, version), weights);
        return directory;
    }
}
