using Grid.Codec;
using Grid.Evaluation;
using Grid.Imaging;

namespace Grid.Cli.Commands;

/// <summary>Composes rows of (original | Grid reconstruction | JPEG at equal or lower size) centre crops into one PNG.</summary>
public static class SideBySide
{
    private const int Tile = 256;
    private const int Gap = 4;

    public static void Write(string path, VqCodec codec, IReadOnlyList<RgbImage> images)
    {
        var canvas = new RgbImage((3 * Tile) + (2 * Gap), (images.Count * Tile) + ((images.Count - 1) * Gap));
        Array.Fill(canvas.Pixels, (byte)255);
        for (int row = 0; row < images.Count; row++)
        {
            RgbImage original = CentreCrop(images[row]);
            byte[] frame = codec.Encode(original);
            RgbImage grid = codec.Decode(frame);
            RgbImage jpeg = JpegAtRate.Find(original, frame.Length).Decoded;
            int y = row * (Tile + Gap);
            Paste(canvas, original, 0, y);
            Paste(canvas, grid, Tile + Gap, y);
            Paste(canvas, jpeg, 2 * (Tile + Gap), y);
        }
        ImageFile.Write(path, canvas);
    }

    private static RgbImage CentreCrop(RgbImage image)
    {
        RgbImage padded = image.PadTo(Math.Max(image.Width, Tile), Math.Max(image.Height, Tile));
        return padded.Crop((padded.Width - Tile) / 2, (padded.Height - Tile) / 2, Tile, Tile);
    }

    private static void Paste(RgbImage canvas, RgbImage tile, int x, int y)
    {
        for (int row = 0; row < tile.Height; row++)
        {
            tile.Row(row).CopyTo(canvas.Row(y + row).Slice(x * 3));
        }
    }
}
