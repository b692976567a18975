using Grid.Codec;
using Grid.Contracts.Frames;
using Grid.Entropy;
using Grid.Grains.Serving;

namespace Grid.Runtime.Tests.Serving;

/// <summary>Each model version's prior lives with it in the registry and comes with it when a silo loads it.</summary>
public sealed class ModelPriorTests
{
    [Fact]
    public async Task AVersionLoadsWithThePriorItWasPublishedWithAndOneWithoutHasNone()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        await harness.StartGrainAsync(new CodecGrainOptions()); // version 1, no prior.bin
        string directory = harness.WriteModel(2, seed: 2);
        byte[] prior = WritePrior(directory, seed: 1);

        await harness.Registry.ImportAsync(directory);
        ContextPrior? loaded = await harness.Cache!.GetPriorAsync(2);

        Assert.Equal(prior, await harness.Registry.GetPriorAsync(2));
        Assert.Equal(PriorFile.FingerprintOf(prior), loaded?.Fingerprint);
        Assert.Null(await harness.Registry.GetPriorAsync(1));
        Assert.Null(await harness.Cache.GetPriorAsync(1));
    }

    [Fact]
    public async Task APriorOfAnotherModelIsRefusedAndNothingIsPublished()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        string directory = harness.WriteModel(2, seed: 2);
        string other = harness.WriteModel(3, seed: 3);
        byte[] foreign = WritePrior(other, seed: 1);
        await File.WriteAllBytesAsync(Path.Combine(directory, PriorFile.FileName), foreign);

        ArgumentException refused = await Assert.ThrowsAsync<ArgumentException>(() => harness.Registry.ImportAsync(directory));

        Assert.Contains("was trained for model", refused.Message, StringComparison.Ordinal);
        Assert.False(await harness.Registry.ExistsAsync(2));
    }

    [Fact]
    public async Task AVersionStoredWithoutAPriorGetsOneOnceAndKeepsIt()
    {
        await using ServingHarness harness = await ServingHarness.StartAsync();
        string directory = harness.WriteModel(2, seed: 2);
        await harness.Registry.ImportAsync(directory);
        Assert.Null(await harness.Registry.GetPriorAsync(2));

        byte[] first = WritePrior(directory, seed: 1);
        await harness.Registry.ImportAsync(directory);
        byte[] second = WritePrior(directory, seed: 2);
        await harness.Registry.ImportAsync(directory);

        Assert.NotEqual(first, second);
        Assert.Equal(first, await harness.Registry.GetPriorAsync(2)); // frames coded with it name it: never replaced
    }

    /// <summary>Trains a small prior for the model in <paramref name="directory"/> and writes it there as prior.bin.</summary>
    private static byte[] WritePrior(string directory, int seed)
    {
        (ModelCard card, byte[] weights) = ModelDirectory.Read(directory);
        var random = new Random(seed);
        var maps = new List<IndexMap>();
        for (int m = 0; m < 3; m++)
        {
            var indices = new ushort[16 * 16];
            for (int i = 0; i < indices.Length; i++)
            {
                indices[i] = (ushort)(i % 16 < 8 ? random.Next(8) : random.Next(card.Config.CodebookSize));
            }
            maps.Add(new IndexMap(indices, 16, 16));
        }
        byte[] file = PriorFile.Write(PriorTrainer.Train(card.Config.CodebookSize, VqfFormat.ComputeFingerprint(weights), maps, []));
        File.WriteAllBytes(Path.Combine(directory, PriorFile.FileName), file);
        return file;
    }
}
