namespace Grid.Native;

/// <summary>Managed-side checks of batch geometry and span lengths, before any native call.</summary>
internal static class BatchShape
{
    /// <summary>Count and sides positive, sides multiples of <see cref="ModelConfig.Downsample"/>.</summary>
    public static void RequireImages(int count, int height, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        RequireMultiple(height, nameof(height));
        RequireMultiple(width, nameof(width));
    }

    /// <summary>Count and latent sides positive.</summary>
    public static void RequireLatents(int count, int latentHeight, int latentWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(latentHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(latentWidth);
    }

    /// <summary>Throws unless <paramref name="actual"/> equals the product of <paramref name="factors"/>.</summary>
    /// <param name="actual">The span's length.</param>
    /// <param name="name">The span parameter's name.</param>
    /// <param name="formula">How the expected length is formed, e.g. "count x height x width x 3".</param>
    /// <param name="factors">The values of the formula's terms.</param>
    public static void RequireLength(int actual, string name, string formula, params ReadOnlySpan<long> factors)
    {
        long expected = 1;
        foreach (long factor in factors)
        {
            expected = factor == 0 ? 0 : expected > long.MaxValue / factor ? long.MaxValue : expected * factor;
        }

        if (actual != expected)
        {
            string values = string.Join(" x ", factors.ToArray());
            throw new ArgumentException(
                $"{name} has length {actual}, but {formula} = {values} = {expected} is needed.", name);
        }
    }

    private static void RequireMultiple(int side, string name)
    {
        if (side % ModelConfig.Downsample != 0)
        {
            throw new ArgumentException(
                $"{name} ({side}) is not a multiple of {ModelConfig.Downsample}; pad the images.", name);
        }
    }
}
