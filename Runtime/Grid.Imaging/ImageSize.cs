namespace Grid.Imaging;

/// <summary>Checks a size read from a header before any pixel memory is allocated.</summary>
internal static class ImageSize
{
    /// <summary>Throws <see cref="ImageError.ZeroSize"/> or <see cref="ImageError.TooLarge"/> when the size is unusable.</summary>
    internal static void Validate(string format, long width, long height, ImageLimits limits)
    {
        if (width == 0 || height == 0)
        {
            throw new ImageFormatException(
                ImageError.ZeroSize, $"{format} header declares a {width}x{height} image; both sides must be at least 1");
        }

        if (width > limits.MaxWidth || height > limits.MaxHeight)
        {
            throw new ImageFormatException(
                ImageError.TooLarge,
                $"{format} image is {width}x{height} pixels; the limit is {limits.MaxWidth}x{limits.MaxHeight}");
        }

        if (width * height * RgbImage.Channels > Array.MaxLength)
        {
            throw new ImageFormatException(
                ImageError.TooLarge, $"{format} image is {width}x{height} pixels; its RGB pixels would not fit in one array");
        }
    }
}
