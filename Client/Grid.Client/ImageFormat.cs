namespace Grid.Client;

/// <summary>Image formats <see cref="GridClient.DecodeAsync"/> can ask for.</summary>
public enum ImageFormat
{
    /// <summary>PNG (lossless; the default).</summary>
    Png,

    /// <summary>JPEG.</summary>
    Jpeg,

    /// <summary>Binary PPM (P6).</summary>
    Ppm,
}
