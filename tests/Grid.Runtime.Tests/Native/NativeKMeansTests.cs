using Grid.Native;

namespace Grid.Runtime.Tests.Native;

public sealed class NativeKMeansTests
{
    private const int Dim = 4;
    private const int K = 5;

    [Fact]
    public void KMeansPlusPlusRecoversTheCentresOfAWellSeparatedMixture()
    {
        NativeTestData.EnsureRuntime();
        (float[] points, float[] truth) = GaussianMixture(pointsPerCluster: 400, spread: 0.3, seed: 1);
        float[] centres = new float[K * Dim];

        KMeansResult result = NativeRuntime.KMeans(points, Dim, K, [], 100, 1e-4f, seed: 7, centres);

        Assert.InRange(result.Iterations, 1, 100);
        Assert.True(result.MaxShift < 1e-4f, $"did not converge: shift {result.MaxShift}");
        // Each true centre has a found centre within a few standard errors (0.3 / sqrt(400) per coordinate).
        for (int t = 0; t < K; t++)
        {
            double nearest = Enumerable.Range(0, K).Min(c => Distance(truth, t, centres, c));
            Assert.True(nearest < 0.1, $"true centre {t} is {nearest} from the nearest found centre");
        }

        // Inertia: mean squared distance, about Dim x spread^2 for a correct clustering.
        Assert.InRange(result.Inertia, 0.5 * Dim * 0.09, 1.5 * Dim * 0.09);
    }

    [Fact]
    public void KMeansIsDeterministicForASeedAndAcceptsInitialCentres()
    {
        NativeTestData.EnsureRuntime();
        (float[] points, float[] truth) = GaussianMixture(pointsPerCluster: 200, spread: 0.3, seed: 2);
        float[] first = new float[K * Dim];
        float[] second = new float[K * Dim];
        NativeRuntime.KMeans(points, Dim, K, [], 50, 1e-5f, seed: 3, first);
        NativeRuntime.KMeans(points, Dim, K, [], 50, 1e-5f, seed: 3, second);
        Assert.Equal(first, second);

        float[] fromTruth = new float[K * Dim];
        KMeansResult result = NativeRuntime.KMeans(points, Dim, K, truth, 50, 1e-5f, seed: 0, fromTruth);
        for (int c = 0; c < K; c++)
        {
            Assert.True(Distance(truth, c, fromTruth, c) < 0.1, $"centre {c} moved away from its cluster");
        }

        Assert.Equal(0, result.EmptyClusters);
    }

    [Fact]
    public void EmptyClustersAreReseededFromTheFarthestPoints()
    {
        NativeTestData.EnsureRuntime();
        (float[] points, _) = GaussianMixture(pointsPerCluster: 100, spread: 0.2, seed: 4);
        float[] initial = new float[K * Dim];
        Array.Fill(initial, 1000f);  // every start centre far away: all but one cluster start empty
        initial.AsSpan(0, Dim).Clear();
        float[] centres = new float[K * Dim];

        KMeansResult result = NativeRuntime.KMeans(points, Dim, K, initial, 100, 1e-5f, seed: 0, centres);

        Assert.True(result.EmptyClusters >= K - 1, $"empty clusters re-seeded: {result.EmptyClusters}");
        Assert.All(centres, value => Assert.InRange(value, -20f, 20f));
    }

    [Fact]
    public void BadKMeansArgumentsThrowTypedExceptions()
    {
        NativeTestData.EnsureRuntime();
        float[] points = new float[10 * Dim];
        float[] centres = new float[2 * Dim];
        Assert.Throws<ArgumentException>(() => NativeRuntime.KMeans(points.AsSpan(1), Dim, 2, [], 10, 0f, 0, centres));
        Assert.Throws<ArgumentOutOfRangeException>(() => NativeRuntime.KMeans(points, Dim, 11, [], 10, 0f, 0, new float[11 * Dim]));
        Assert.Throws<ArgumentException>(() => NativeRuntime.KMeans(points, Dim, 2, new float[3], 10, 0f, 0, centres));
        Assert.Throws<ArgumentException>(() => NativeRuntime.KMeans(points, Dim, 2, [], 10, 0f, 0, new float[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => NativeRuntime.KMeans(points, Dim, 2, [], 0, 0f, 0, centres));
        Assert.Throws<NativeDeviceException>(() => NativeRuntime.KMeans(points, Dim, 2, [], 10, 0f, 0, centres, "tpu:0"));

        points[13] = float.NaN;
        Assert.Contains("row 3, column 1", Assert.Throws<NativeArgumentException>(
            () => NativeRuntime.KMeans(points, Dim, 2, [], 10, 0f, 0, centres)).Message);
    }

    // K Gaussian clusters with fixed centres at least 8.6 apart; spread is the per-coordinate standard deviation.
    private static (float[] Points, float[] Centres) GaussianMixture(int pointsPerCluster, double spread, int seed)
    {
        var random = new Random(seed);
        float[] centres = new float[K * Dim];
        for (int c = 0; c < K; c++)
        {
            for (int d = 0; d < Dim; d++)
            {
                centres[(c * Dim) + d] = (float)((((c * 3) + (d * 7)) % 5 * 5.0) - 10.0 + (c == d ? 5 : 0));
            }
        }

        float[] points = new float[K * pointsPerCluster * Dim];
        for (int i = 0; i < K * pointsPerCluster; i++)
        {
            int c = i % K;
            for (int d = 0; d < Dim; d++)
            {
                // Box-Muller normal sample.
                double u1 = 1.0 - random.NextDouble();
                double u2 = random.NextDouble();
                double normal = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
                points[(i * Dim) + d] = centres[(c * Dim) + d] + (float)(spread * normal);
            }
        }

        return (points, centres);
    }

    private static double Distance(float[] a, int i, float[] b, int j)
    {
        double sum = 0;
        for (int d = 0; d < Dim; d++)
        {
            double difference = a[(i * Dim) + d] - b[(j * Dim) + d];
            sum += difference * difference;
        }

        return Math.Sqrt(sum);
    }
}
