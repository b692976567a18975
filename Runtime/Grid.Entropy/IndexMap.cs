namespace Grid.Entropy;

/// <summary>A latent index map: <see cref="Width"/> x <see cref="Height"/> indices in row-major order.</summary>
/// <param name="Indices">The indices.</param>
/// <param name="Width">Latent columns.</param>
/// <param name="Height">Latent rows.</param>
public sealed record IndexMap(ushort[] Indices, int Width, int Height)
{
    /// <summary>Number of indices.</summary>
    public int Count => Width * Height;
}
