namespace Grid.Entropy;

/// <summary>
/// The logistic domain of the mixing coder, in integers only (the tables of lpaq1): <see cref="Squash"/> maps a
/// stretched value in [-2047, 2047] (ln(p / (1 - p)) x 256) to a 12-bit probability by interpolating a 33-entry
/// table, and <see cref="Stretch"/> is its inverse, built by scanning <see cref="Squash"/>. No floating point, so
/// every machine computes the same probabilities.
/// </summary>
internal static class Logistic
{
    private static readonly int[] s_squashTable =
    [
        1, 2, 3, 6, 10, 16, 27, 45, 73, 120, 194, 310, 488, 747, 1101, 1546, 2047, 2549, 2994, 3348, 3607, 3785, 3901,
        3975, 4024, 4050, 4068, 4079, 4085, 4089, 4092, 4093, 4094,
    ];

    private static readonly short[] s_stretch = BuildStretch();

    /// <summary>12-bit probability (0..4095) of a stretched value.</summary>
    public static int Squash(int d)
    {
        if (d > 2047)
        {
            return 4095;
        }

        if (d < -2047)
        {
            return 0;
        }

        int w = d & 127;
        int i = (d >> 7) + 16;
        return ((s_squashTable[i] * (128 - w)) + (s_squashTable[i + 1] * w) + 64) >> 7;
    }

    /// <summary>Stretched value (-2047..2047) of a 12-bit probability (0..4095).</summary>
    public static int Stretch(int p) => s_stretch[p];

    private static short[] BuildStretch()
    {
        short[] table = new short[4096];
        int pi = 0;
        for (int x = -2047; x <= 2047; x++)
        {
            int v = Squash(x);
            for (int i = pi; i <= v; i++)
            {
                table[i] = (short)x;
            }

            pi = v + 1;
        }

        for (int i = pi; i < 4096; i++)
        {
            table[i] = 2047;
        }

        return table;
    }
}
