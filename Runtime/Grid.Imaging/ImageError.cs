namespace Grid.Imaging;

/// <summary>Why an image could not be decoded.</summary>
public enum ImageError
{
    /// <summary>The data has no bytes.</summary>
    Empty,

    /// <summary>The data ends before the image does.</summary>
    Truncated,

    /// <summary>The data is damaged or violates the format.</summary>
    Corrupt,

    /// <summary>Not a recognised format, or a variant of one this reader does not handle.</summary>
    UnsupportedFormat,

    /// <summary>The header declares a size above the <see cref="ImageLimits"/>.</summary>
    TooLarge,

    /// <summary>The header declares a width or height of zero.</summary>
    ZeroSize,
}
