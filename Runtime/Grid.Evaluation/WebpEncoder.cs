using System.Diagnostics;
using System.Globalization;
using Grid.Imaging;

namespace Grid.Evaluation;

/// <summary>
/// Lossy WebP of one image through libwebp's command-line tools: <c>cwebp -quiet -m 6 -q Q in.ppm -o out.webp</c>
/// (method 6: the slowest, smallest files; a fair, strong baseline) and <c>dwebp -quiet in.webp -ppm -o out.ppm</c>.
/// Everything lives in one temporary directory, created here and deleted by <see cref="Dispose"/>.
/// </summary>
public sealed class WebpEncoder : IDisposable
{
    private static readonly TimeSpan s_toolTimeout = TimeSpan.FromMinutes(2);

    private readonly WebpTools _tools;
    private readonly string _input;

    /// <summary>Writes <paramref name="image"/> as the PPM input of later encodes.</summary>
    /// <exception cref="IOException">The temporary directory or file cannot be written.</exception>
    public WebpEncoder(RgbImage image, WebpTools? tools = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        _tools = tools ?? WebpTools.Default;
        Image = image;
        Directory = System.IO.Directory.CreateTempSubdirectory("grid-webp-").FullName;
        _input = Path.Combine(Directory, "input.ppm");
        try
        {
            File.WriteAllBytes(_input, Ppm.Encode(image));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The image being encoded.</summary>
    public RgbImage Image { get; }

    /// <summary>The temporary directory holding the files (gone after <see cref="Dispose"/>).</summary>
    public string Directory { get; }

    /// <summary>The WebP file at <paramref name="quality"/> (0..100).</summary>
    /// <exception cref="WebpException">cwebp is missing or fails.</exception>
    public byte[] Encode(int quality)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(quality);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, 100);
        string output = Path.Combine(Directory, string.Create(CultureInfo.InvariantCulture, $"q{quality}.webp"));
        Run(_tools.Cwebp, ["-quiet", "-m", "6", "-q", quality.ToString(CultureInfo.InvariantCulture), _input, "-o", output]);
        byte[] file = File.ReadAllBytes(output);
        File.Delete(output);
        return file;
    }

    /// <summary>Decodes a WebP file with dwebp.</summary>
    /// <exception cref="WebpException">dwebp is missing or fails.</exception>
    public RgbImage Decode(byte[] webp)
    {
        ArgumentNullException.ThrowIfNull(webp);
        string input = Path.Combine(Directory, "decode.webp");
        string output = Path.Combine(Directory, "decoded.ppm");
        File.WriteAllBytes(input, webp);
        Run(_tools.Dwebp, ["-quiet", input, "-ppm", "-o", output]);
        RgbImage decoded = Ppm.Decode(File.ReadAllBytes(output));
        File.Delete(input);
        File.Delete(output);
        return decoded;
    }

    /// <summary>Deletes the temporary directory.</summary>
    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private static void Run(string executable, IReadOnlyList<string> arguments)
    {
        Process process = ExternalTool.Start(executable, arguments, (reason, inner) => new WebpException(
            $"cannot run '{executable}' ({reason}): install webp: ./grid setup (Debian package webp)", inner));

        using (process)
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(s_toolTimeout))
            {
                process.Kill(entireProcessTree: true);
                throw new WebpException($"{executable} did not finish in {s_toolTimeout.TotalMinutes:0} minutes");
            }
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                string message = (error.Result + output.Result).Trim();
                throw new WebpException(
                    $"{executable} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {(message.Length == 0 ? "(no output)" : message)}");
            }
        }
    }
}
