namespace Grid.Imaging.Skia;

/// <summary>Conversions between <see cref="RgbImage"/>'s packed RGB and the 4-byte and 1-byte layouts Skia reads and writes.</summary>
internal static class PixelPacking
{
    /// <summary>RGBA (or RGBX) to RGB: the fourth byte is dropped, not composited.</summary>
    internal static void RgbaToRgb(ReadOnlySpan<byte> rgba, Span<byte> rgb)
    {
        int pixels = rgb.Length / 3;
        for (int i = 0, s = 0, d = 0; i < pixels; i++, s += 4, d += 3)
        {
            rgb[d] = rgba[s];
            rgb[d + 1] = rgba[s + 1];
            rgb[d + 2] = rgba[s + 2];
        }
    }

    /// <summary>RGB to RGBX with the fourth byte 255.</summary>
    internal static void RgbToRgbx(ReadOnlySpan<byte> rgb, Span<byte> rgbx)
    {
        int pixels = rgb.Length / 3;
        for (int i = 0, s = 0, d = 0; i < pixels; i++, s += 3, d += 4)
        {
            rgbx[d] = rgb[s];
            rgbx[d + 1] = rgb[s + 1];
            rgbx[d + 2] = rgb[s + 2];
            rgbx[d + 3] = 255;
        }
    }

    /// <summary>RGB to BT.601 luma, libjpeg's fixed-point weights (0.299, 0.587, 0.114) with rounding.</summary>
    internal static void RgbToLuma(ReadOnlySpan<byte> rgb, Span<byte> luma)
    {
        for (int i = 0, s = 0; i < luma.Length; i++, s += 3)
        {
            luma[i] = (byte)(((19595 * rgb[s]) + (38470 * rgb[s + 1]) + (7471 * rgb[s + 2]) + 32768) >> 16);
        }
    }
}
