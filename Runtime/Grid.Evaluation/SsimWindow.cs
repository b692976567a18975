namespace Grid.Evaluation;

/// <summary>The SSIM constants of Wang et al.: an 11-tap Gaussian (sigma 1.5, normalised to sum 1), K1, K2, L.</summary>
internal static class SsimWindow
{
    /// <summary>Window side in pixels.</summary>
    public const int Size = 11;

    /// <summary>Gaussian standard deviation in pixels.</summary>
    public const double Sigma = 1.5;

    /// <summary>Dynamic range of 8-bit samples.</summary>
    public const double DynamicRange = 255;

    /// <summary>(K1 L)^2 with K1 = 0.01: stabilises the luminance term.</summary>
    public const float C1 = (float)(0.01 * DynamicRange * (0.01 * DynamicRange));

    /// <summary>(K2 L)^2 with K2 = 0.03: stabilises the contrast-structure term.</summary>
    public const float C2 = (float)(0.03 * DynamicRange * (0.03 * DynamicRange));

    /// <summary>The separable 1-D window, computed in double and rounded once.</summary>
    public static readonly float[] Weights = Create();

    private static float[] Create()
    {
        double[] taps = new double[Size];
        double sum = 0;
        for (int i = 0; i < Size; i++)
        {
            double offset = i - ((Size - 1) / 2);
            taps[i] = Math.Exp(-(offset * offset) / (2 * Sigma * Sigma));
            sum += taps[i];
        }
        return taps.Select(t => (float)(t / sum)).ToArray();
    }
}
