namespace Grid.Imaging;

/// <summary>Chroma subsampling of an encoded JPEG.</summary>
public enum JpegSubsampling
{
    /// <summary>4:4:4, full-resolution chroma.</summary>
    S444,

    /// <summary>4:2:2, chroma halved horizontally.</summary>
    S422,

    /// <summary>4:2:0, chroma halved in both directions (the usual choice for photos).</summary>
    S420,

    /// <summary>Luminance only: a grayscale JPEG.</summary>
    Gray,
}
