namespace Grid.Imaging;

/// <summary>What an image file's header declares, read by <see cref="ImageFile.Probe"/> without decoding pixels.</summary>
/// <param name="Format">The file format (from the magic bytes).</param>
/// <param name="Width">Declared width in pixels (at least 1).</param>
/// <param name="Height">Declared height in pixels (at least 1).</param>
public sealed record ImageHeader(ImageFileFormat Format, long Width, long Height)
{
    /// <summary>Width x height: what decoding would cost in pixels (x3 bytes of RGB).</summary>
    public long Pixels => Width * Height;
}
