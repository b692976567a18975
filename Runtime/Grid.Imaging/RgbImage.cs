namespace Grid.Imaging;

/// <summary>
/// An 8-bit RGB image: interleaved R, G, B bytes, rows top to bottom, no row padding
/// (<see cref="Pixels"/> is <c>Height x Width x 3</c>). This is the layout every decoder writes into directly.
/// </summary>
public sealed class RgbImage
{
    /// <summary>Bytes per pixel (R, G, B).</summary>
    public const int Channels = 3;

    /// <summary>Creates a black (zeroed) image.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A side is not positive or the image exceeds the largest array.</exception>
    public RgbImage(int width, int height)
    {
        Width = width;
        Height = height;
        Pixels = new byte[ByteLength(width, height)];
    }

    /// <summary>Wraps an existing pixel array (not copied) of exactly <c>width * height * 3</c> bytes.</summary>
    /// <exception cref="ArgumentException"><paramref name="pixels"/> has the wrong length.</exception>
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        int expected = ByteLength(width, height);
        if (pixels.Length != expected)
        {
            throw new ArgumentException(
                $"a {width}x{height} RGB image needs {expected} bytes, but the array holds {pixels.Length}", nameof(pixels));
        }

        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The interleaved RGB bytes, row-major; <c>Width * 3</c> bytes per row.</summary>
    public byte[] Pixels { get; }

    /// <summary>Bytes per row (<c>Width * 3</c>).</summary>
    public int Stride => Width * Channels;

    /// <summary>The bytes of row <paramref name="y"/>.</summary>
    public Span<byte> Row(int y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
        return Pixels.AsSpan(y * Stride, Stride);
    }

    /// <summary>Copies the rectangle at (<paramref name="x"/>, <paramref name="y"/>) into a new image.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rectangle is empty or leaves the image.</exception>
    public RgbImage Crop(int x, int y, int width, int height)
    {
        if (x < 0 || y < 0 || width <= 0 || height <= 0 || x > Width - width || y > Height - height)
        {
            throw new ArgumentOutOfRangeException(
                nameof(width), $"crop {width}x{height} at ({x}, {y}) does not fit inside a {Width}x{Height} image");
        }

        var result = CreateUninitialized(width, height);
        int rowBytes = width * Channels;
        for (int row = 0; row < height; row++)
        {
            Pixels.AsSpan(((y + row) * Width + x) * Channels, rowBytes).CopyTo(result.Row(row));
        }

        return result;
    }

    /// <summary>
    /// Enlarges the image to <paramref name="width"/> x <paramref name="height"/> by repeating the last column to
    /// the right and the last row downwards (edge replication keeps padded blocks close to the content).
    /// Returns this image when no padding is needed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A target side is smaller than the image.</exception>
    public RgbImage PadTo(int width, int height)
    {
        if (width < Width || height < Height)
        {
            throw new ArgumentOutOfRangeException(
                nameof(width), $"cannot pad a {Width}x{Height} image to the smaller size {width}x{height}");
        }

        if (width == Width && height == Height)
        {
            return this;
        }

        var result = CreateUninitialized(width, height);
        int sourceRowBytes = Stride;
        for (int y = 0; y < Height; y++)
        {
            Span<byte> target = result.Row(y);
            Row(y).CopyTo(target);
            ReplicateLastPixel(target, sourceRowBytes);
        }

        ReadOnlySpan<byte> lastRow = result.Row(Height - 1);
        for (int y = Height; y < height; y++)
        {
            lastRow.CopyTo(result.Row(y));
        }

        return result;
    }

    /// <summary>
    /// Pads (by edge replication) so that both sides are multiples of <paramref name="multiple"/>;
    /// returns this image when they already are.
    /// </summary>
    public RgbImage PadToMultiple(int multiple)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(multiple);
        int width = checked((Width + multiple - 1) / multiple * multiple);
        int height = checked((Height + multiple - 1) / multiple * multiple);
        return PadTo(width, height);
    }

    /// <summary>Copies all pixel bytes to <paramref name="destination"/> (at least <c>Pixels.Length</c> bytes).</summary>
    public void CopyTo(Span<byte> destination)
    {
        if (destination.Length < Pixels.Length)
        {
            throw new ArgumentException(
                $"destination holds {destination.Length} bytes; a {Width}x{Height} RGB image needs {Pixels.Length}",
                nameof(destination));
        }

        Pixels.AsSpan().CopyTo(destination);
    }

    /// <summary>Returns a new image mirrored left to right.</summary>
    public RgbImage FlipHorizontal()
    {
        var result = CreateUninitialized(Width, Height);
        int stride = Stride;
        for (int y = 0; y < Height; y++)
        {
            ReadOnlySpan<byte> source = Pixels.AsSpan(y * stride, stride);
            Span<byte> target = result.Pixels.AsSpan(y * stride, stride);
            for (int s = 0, t = stride - Channels; s < stride; s += Channels, t -= Channels)
            {
                target[t] = source[s];
                target[t + 1] = source[s + 1];
                target[t + 2] = source[s + 2];
            }
        }

        return result;
    }

    /// <summary>
    /// An image whose pixel array is not zeroed, for code that overwrites every byte (decoders, crops, flips):
    /// zeroing 1 MB per frame is measurable when it is thrown away at once.
    /// </summary>
    internal static RgbImage CreateUninitialized(int width, int height) =>
        new(width, height, GC.AllocateUninitializedArray<byte>(ByteLength(width, height)));

    /// <summary>The size in bytes of a <paramref name="width"/> x <paramref name="height"/> RGB image.</summary>
    internal static int ByteLength(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        long length = (long)width * height * Channels;
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(width), $"a {width}x{height} RGB image needs {length} bytes, more than one array can hold");
        }

        return (int)length;
    }

    /// <summary>Fills <paramref name="row"/> after its first <paramref name="filledBytes"/> with copies of the last filled pixel.</summary>
    private static void ReplicateLastPixel(Span<byte> row, int filledBytes)
    {
        if (filledBytes == row.Length)
        {
            return;
        }

        ReadOnlySpan<byte> edge = row.Slice(filledBytes - Channels, Channels);
        Span<byte> rest = row[filledBytes..];

        // Seed one pixel, then double the filled run: a handful of CopyTo calls instead of a per-pixel loop.
        edge.CopyTo(rest);
        int done = Channels;
        while (done < rest.Length)
        {
            int chunk = Math.Min(done, rest.Length - done);
            rest[..chunk].CopyTo(rest[done..]);
            done += chunk;
        }
    }
}
