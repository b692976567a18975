using System.Collections.Concurrent;
using Grid.Contracts.Frames;

namespace Grid.Entropy.Tests;

/// <summary>The same maps give the same bytes whatever the thread count and the order or grouping of the work.</summary>
public sealed class DeterminismTests
{
    [Theory]
    [InlineData(1, FrameCoding.Learned)]
    [InlineData(2, FrameCoding.Learned)]
    [InlineData(8, FrameCoding.Learned)]
    [InlineData(1, FrameCoding.Mixing)]
    [InlineData(2, FrameCoding.Mixing)]
    [InlineData(8, FrameCoding.Mixing)]
    public void FramesAreIdenticalAtAnyThreadCountAndBatchOrder(int threads, FrameCoding coding)
    {
        IndexMap[] keys = [.. EntropyTestData.AllFixtures(), .. EntropyTestData.Synthetic()];
        (IndexMap Map, IndexMap? Previous)[] maps =
            [.. keys.Select(m => (m, (IndexMap?)null)), .. keys.Select(m => (EntropyTestData.Perturb(m, 0.1, 4), (IndexMap?)m))];
        byte[][] sequential = [.. maps.Select(m => Encode(m, coding))];

        // Batches of different sizes in reverse order, spread over the threads.
        foreach (int batch in new[] { 1, 3, 8 })
        {
            var parallel = new ConcurrentDictionary<int, byte[]>();
            int[][] batches = [.. Enumerable.Range(0, maps.Length).Reverse().Chunk(batch)];
            Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = threads }, members =>
            {
                foreach (int i in members)
                {
                    parallel[i] = Encode(maps[i], coding);
                }
            });

            for (int i = 0; i < maps.Length; i++)
            {
                Assert.Equal(sequential[i], parallel[i]);
                (IndexMap map, IndexMap? previous) = maps[i];
                Assert.Equal(map.Indices, IndexCoder.Decode(
                    parallel[i], map.Width, map.Height, coding, EntropyTestData.K, EntropyTestData.Prior, previous is null ? default : previous.Indices));
            }
        }
    }

    [Fact]
    public void APriorReadBackWritesTheSameBytesAndCodesTheSame()
    {
        byte[] file = PriorFile.Write(EntropyTestData.Prior);
        ContextPrior again = PriorFile.Read(file);

        Assert.Equal(file, PriorFile.Write(again));
        Assert.Equal(EntropyTestData.Prior.Fingerprint, again.Fingerprint);
        IndexMap map = EntropyTestData.Fixture("baboon").Map;
        Assert.Equal(EntropyTestData.Prior.LegacyFingerprint, again.LegacyFingerprint);
        foreach (FrameCoding coding in new[] { FrameCoding.Learned, FrameCoding.Mixing })
        {
            Assert.Equal(
                IndexCoder.Encode(map.Indices, map.Width, map.Height, coding, EntropyTestData.K, EntropyTestData.Prior),
                IndexCoder.Encode(map.Indices, map.Width, map.Height, coding, EntropyTestData.K, again));
        }
    }

    [Fact]
    public void TrainingTwiceOnTheSameMapsWritesTheSamePrior()
    {
        IndexMap[] images = [.. EntropyTestData.TrainingFixtures.Select(name => EntropyTestData.Fixture(name).Map)];
        IndexMap first = images[0];
        IndexMap[] sequence = [first, EntropyTestData.Perturb(first, 0.1, 1), EntropyTestData.Perturb(first, 0.2, 2)];

        byte[] once = PriorFile.Write(PriorTrainer.Train(EntropyTestData.K, 5, images, [sequence]));
        byte[] twice = PriorFile.Write(PriorTrainer.Train(EntropyTestData.K, 5, images, [sequence]));

        Assert.Equal(once, twice);
        Assert.NotEqual(once, PriorFile.Write(PriorTrainer.Train(EntropyTestData.K, 5, images[1..], [sequence])));
    }

    private static byte[] Encode((IndexMap Map, IndexMap? Previous) item, FrameCoding coding) =>
        IndexCoder.Encode(
            item.Map.Indices, item.Map.Width, item.Map.Height, coding, EntropyTestData.K, EntropyTestData.Prior,
            item.Previous is null ? default : item.Previous.Indices);
}
