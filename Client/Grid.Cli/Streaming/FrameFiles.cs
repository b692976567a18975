using System.Globalization;
using Grid.Client;

namespace Grid.Cli.Streaming;

/// <summary>Frames written as <c>DIR/&lt;seq:D8&gt;.ext</c>, each complete or absent (written aside, then renamed).</summary>
public static class FrameFiles
{
    public static string Extension(PayloadFormat format) => format switch
    {
        PayloadFormat.Vqf => ".vqf",
        PayloadFormat.Png => ".png",
        PayloadFormat.Jpeg => ".jpg",
        PayloadFormat.Ppm => ".ppm",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a defined PayloadFormat"),
    };

    public static PayloadFormat ParseFormat(string name) => name switch
    {
        "vqf" => PayloadFormat.Vqf,
        "png" => PayloadFormat.Png,
        "jpeg" or "jpg" => PayloadFormat.Jpeg,
        "ppm" => PayloadFormat.Ppm,
        _ => throw new ArgumentException($"--format '{name}' is not one of vqf, png, jpeg, ppm"),
    };

    public static string PathOf(string directory, long sequence, PayloadFormat format) =>
        Path.Combine(directory, sequence.ToString("D8", CultureInfo.InvariantCulture) + Extension(format));

    public static async Task<string> WriteAsync(string directory, long sequence, PayloadFormat format, byte[] payload, CancellationToken cancellationToken)
    {
        string path = PathOf(directory, sequence, format);
        string temporary = path + ".part";
        await File.WriteAllBytesAsync(temporary, payload, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
