namespace Grid.Imaging;

/// <summary>Image file formats the reader and writer handle.</summary>
public enum ImageFileFormat
{
    /// <summary>PNG (SkiaSharp).</summary>
    Png,

    /// <summary>JPEG/JFIF (libjpeg-turbo).</summary>
    Jpeg,

    /// <summary>Binary Netpbm: P6 (RGB) and, on read, P5 (gray); maxval 255 only.</summary>
    Ppm,
}
