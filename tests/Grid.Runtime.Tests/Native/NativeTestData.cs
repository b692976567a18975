using Grid.Native;

namespace Grid.Runtime.Tests.Native;

/// <summary>Small deterministic models and images shared by the native tests.</summary>
internal static class NativeTestData
{
    /// <summary>Tiny architecture: fast enough for many tests (hidden 16, D 8, K 32).</summary>
    public static readonly ModelConfig TinyConfig = new(
        HiddenChannels: 16, ResidualChannels: 8, ResidualBlocks: 1, EmbeddingDim: 8, CodebookSize: 32);

    /// <summary>Side of the test images (a multiple of 4: 4 x 4 latents).</summary>
    public const int Side = 16;

    private static readonly Lazy<bool> s_threads = new(() =>
    {
        // Every test runs with the same thread count, so results compared across tests and runs are comparable.
        NativeRuntime.Threads = 2;
        return true;
    });

    /// <summary>Applies the tests' thread count once per process.</summary>
    public static void EnsureRuntime() => _ = s_threads.Value;

    public static NativeModel CreateTinyModel(ulong seed = 1)
    {
        EnsureRuntime();
        return NativeModel.Create(TinyConfig, "cpu", seed);
    }

    /// <summary>
    /// count images of side x side: smooth colour gradients with a few flat blocks and mild noise, different per
    /// image, the same for the same seed.
    /// </summary>
    public static byte[] Images(int count, int side = Side, int seed = 7)
    {
        var random = new Random(seed);
        byte[] pixels = new byte[count * side * side * 3];
        for (int n = 0; n < count; n++)
        {
            int phase = random.Next(256);
            int blockColour = random.Next(256);
            for (int y = 0; y < side; y++)
            {
                for (int x = 0; x < side; x++)
                {
                    bool inBlock = ((x / 4) + (y / 4) + n) % 5 == 0;
                    for (int c = 0; c < 3; c++)
                    {
                        int value = inBlock
                            ? (blockColour + (c * 60)) % 256
                            : (((x * (c + 1) * 8) + (y * (3 - c) * 8) + phase) % 256) + random.Next(-8, 9);
                        pixels[((((n * side) + y) * side) + x) * 3 + c] = (byte)Math.Clamp(value, 0, 255);
                    }
                }
            }
        }

        return pixels;
    }

    /// <summary>Number of indices for count images of side x side.</summary>
    public static int IndexCount(int count, int side = Side) =>
        count * (side / ModelConfig.Downsample) * (side / ModelConfig.Downsample);
}
