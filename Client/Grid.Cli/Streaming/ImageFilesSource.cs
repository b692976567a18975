using System.Runtime.CompilerServices;
using Grid.Client;
using Grid.Contracts.Frames;

namespace Grid.Cli.Streaming;

/// <summary>Image files (or VQF frame files) uploaded as they are, in the given order; the silo decodes them.</summary>
public sealed class ImageFilesSource(IReadOnlyList<string> files, string description) : IFrameSource
{
    /// <summary>Extensions a folder source picks up (case-insensitive).</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".ppm", ".pgm", VqfFormat.FileExtension];

    public string Description { get; } = description;

    public int? Count => files.Count;

    /// <summary>The image files of <paramref name="directory"/>, sorted by name (ordinal, so 0001.png precedes 0002.png).</summary>
    public static ImageFilesSource FromDirectory(string directory)
    {
        string[] files = [.. Directory.EnumerateFiles(directory)
            .Where(file => Extensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)];
        if (files.Length == 0)
        {
            throw new FileNotFoundException($"folder '{directory}' holds no {string.Join(", ", Extensions)} files");
        }
        return new ImageFilesSource(files, $"folder {directory} ({files.Length} files)");
    }

    public async IAsyncEnumerable<SourceFrame> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (string file in files)
        {
            byte[] payload = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            IngestFrameKind kind = payload.AsSpan().StartsWith(VqfFormat.Magic) ? IngestFrameKind.Frame : IngestFrameKind.Image;
            yield return new SourceFrame(Path.GetFileName(file), payload, kind);
        }
    }

    public void Dispose()
    {
        // Files are read whole, one at a time; nothing stays open.
    }
}
