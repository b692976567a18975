using System.Collections.Concurrent;
using Grid.Contracts.Frames;

namespace Grid.Entropy.Tests;

/// <summary>The same maps give the same bytes whatever the thread count and the order or grouping of the work.</summary>
public sealed class DeterminismTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public void FramesAreIdenticalAtAnyThreadCountAndBatchOrder(int threads)
    {
        IndexMap[] maps = [.. EntropyTestData.AllFixtures(), .. EntropyTestData.Synthetic()];
        byte[][] sequential = [.. maps.Select(Encode)];

        // Batches of different sizes in reverse order, spread over the threads.
        foreach (int batch in new[] { 1, 3, 8 })
        {
            var parallel = new ConcurrentDictionary<int, byte[]>();
            int[][] batches = [.. Enumerable.Range(0, maps.Length).Reverse().Chunk(batch)];
            Parallel.ForEach(batches, new ParallelOptions { MaxDegreeOfParallelism = threads }, members =>
            {
                foreach (int i in members)
                {
                    parallel[i] = Encode(maps[i]);
                }
            });

            for (int i = 0; i < maps.Length; i++)
            {
                Assert.Equal(sequential[i], parallel[i]);
                Assert.Equal(maps[i].Indices, IndexCoder.Decode(parallel[i], maps[i].Width, maps[i].Height, FrameCoding.Learned, EntropyTestData.K, EntropyTestData.Prior));
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
        Assert.Equal(
            IndexCoder.Encode(map.Indices, map.Width, map.Height, FrameCoding.Learned, EntropyTestData.K, EntropyTestData.Prior),
            IndexCoder.Encode(map.Indices, map.Width, map.Height, FrameCoding.Learned, EntropyTestData.K, again));
    }

    private static byte[] Encode(IndexMap map) =>
        IndexCoder.Encode(map.Indices, map.Width, map.Height, FrameCoding.Learned, EntropyTestData.K, EntropyTestData.Prior);
}
