using Grid.Contracts.Frames;

namespace Grid.Entropy.Tests;

/// <summary>Real index maps (fixtures written by the shipped model), synthetic maps, and a prior trained on some of them.</summary>
internal static class EntropyTestData
{
    public const int K = 512;

    /// <summary>Maps the test prior is trained on.</summary>
    public static readonly string[] TrainingFixtures = ["HappyFish", "pic1", "smarties", "Megamind-001"];

    /// <summary>Maps it never sees.</summary>
    public static readonly string[] HeldOutFixtures = ["cards", "baboon", "rubberwhale1", "Megamind-002"];

    private static readonly Lazy<ContextPrior> s_prior = new(TrainPrior);

    private static readonly Lazy<ContextPrior> s_shipped = new(() => PriorFile.Read(Path.Combine(RepoRoot(), "models", "default", PriorFile.FileName)));

    /// <summary>A prior trained on <see cref="TrainingFixtures"/>, read back from its file as the codec does.</summary>
    public static ContextPrior Prior => s_prior.Value;

    /// <summary>The format 1 part of <see cref="Prior"/> alone: what a prior of format 1 is.</summary>
    public static ContextPrior LegacyPrior => PriorFile.Read(Prior.LegacyFile!);

    /// <summary>
    /// The prior shipped with models/default (format 2: trained on data/images/train and data/frames/train, and the
    /// first 200 frames of data/video/tree.avi and Megamind.avi).
    /// </summary>
    public static ContextPrior ShippedPrior => s_shipped.Value;

    /// <summary>Fixtures from data/images/val: never in the shipped prior's training data.</summary>
    public static readonly string[] ValidationFixtures = ["cards", "baboon", "rubberwhale1"];

    public static (IndexMap Map, FrameInfo Info) Fixture(string name)
    {
        byte[] frame = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name + ".vqf"));
        ushort[] indices = VqfReader.ReadIndices(frame, out FrameInfo info);
        return (new IndexMap(indices, info.LatentWidth, info.LatentHeight), info);
    }

    public static IEnumerable<IndexMap> AllFixtures() =>
        TrainingFixtures.Concat(HeldOutFixtures).Select(name => Fixture(name).Map);

    /// <summary>Synthetic maps: uniform noise, constant, smooth runs with noise, tiny and thin shapes.</summary>
    public static IEnumerable<IndexMap> Synthetic(int k = K)
    {
        var random = new Random(11);
        foreach ((int w, int h) in new[] { (1, 1), (1, 9), (9, 1), (2, 2), (7, 5), (33, 17), (64, 48) })
        {
            yield return new IndexMap(Enumerable.Range(0, w * h).Select(_ => (ushort)random.Next(k)).ToArray(), w, h);
            yield return new IndexMap(Enumerable.Repeat((ushort)(k - 1), w * h).ToArray(), w, h);
            ushort[] smooth = new ushort[w * h];
            for (int i = 0; i < smooth.Length; i++)
            {
                smooth[i] = random.Next(10) == 0 ? (ushort)random.Next(k) : (ushort)(((i % w / 4) + (i / w / 3)) % k);
            }

            yield return new IndexMap(smooth, w, h);
        }
    }

    /// <summary>The map with a fraction of its indices changed at random: a next frame of a noisy static camera.</summary>
    public static IndexMap Perturb(IndexMap map, double fraction, int seed, int k = K)
    {
        var random = new Random(seed);
        ushort[] next = (ushort[])map.Indices.Clone();
        for (int i = 0; i < next.Length; i++)
        {
            if (random.NextDouble() < fraction)
            {
                next[i] = (ushort)random.Next(k);
            }
        }

        return map with { Indices = next };
    }

    private static string RepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Grid.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no directory above {AppContext.BaseDirectory} holds Grid.sln");
    }

    private static ContextPrior TrainPrior()
    {
        var trainer = new PriorTrainer(K);
        foreach (string name in TrainingFixtures)
        {
            trainer.AddKeyFrame(Fixture(name).Map);
        }

        IndexMap first = Fixture(TrainingFixtures[0]).Map;
        trainer.AddInterFrame(first, Perturb(first, 0.1, 1));
        return PriorFile.Read(PriorFile.Write(trainer.Build(0x42749bc9)));
    }
}
