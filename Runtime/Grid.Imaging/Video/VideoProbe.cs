using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Grid.Imaging;

/// <summary>Runs ffprobe on the first video stream and turns its JSON into a <see cref="VideoInfo"/>.</summary>
internal static class VideoProbe
{
    private const string Entries =
        "stream=codec_name,width,height,avg_frame_rate,r_frame_rate,nb_frames"
        + ":stream_side_data=rotation:stream_tags=rotate:format=format_name";

    internal static VideoInfo Run(string path, VideoTools tools)
    {
        string fullPath = ResolveExistingFile(path);
        var stderr = new StderrTail();
        using Process process = MediaTool.Start(
            tools.Ffprobe,
            ["-v", "error", "-select_streams", "v:0", "-show_entries", Entries, "-of", "json", MediaTool.InputArgument(fullPath)],
            stderr);
        string json = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new VideoException($"'{path}' is not a readable video: ffprobe exited with code {process.ExitCode}: {stderr}");
        }

        return Parse(json, path);
    }

    /// <summary>The full path of an existing file; a clear <see cref="FileNotFoundException"/> otherwise.</summary>
    internal static string ResolveExistingFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException(
                Directory.Exists(fullPath) ? $"'{path}' is a directory, not a video file" : $"video file '{path}' does not exist",
                fullPath);
        }

        return fullPath;
    }

    internal static VideoInfo Parse(string json, string path)
    {
        JsonElement root;
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            root = document.RootElement.Clone();
        }
        catch (JsonException exception)
        {
            throw new VideoException($"ffprobe printed output for '{path}' that is not JSON: {exception.Message}", exception);
        }

        string container = root.TryGetProperty("format", out JsonElement format) && format.TryGetProperty("format_name", out JsonElement name)
            ? name.GetString() ?? "unknown"
            : "unknown";
        if (!root.TryGetProperty("streams", out JsonElement streams) || streams.GetArrayLength() == 0)
        {
            throw new VideoException($"'{path}' holds no video stream (ffprobe reads it as '{container}')");
        }

        JsonElement stream = streams[0];
        int width = ReadInt(stream, "width");
        int height = ReadInt(stream, "height");
        if (width <= 0 || height <= 0)
        {
            throw new VideoException($"the video stream of '{path}' has no frame size (ffprobe reports {width}x{height})");
        }

        // ffmpeg rotates frames by the stream's display matrix before any filter runs, so a quarter turn swaps the sides.
        if (Math.Abs(ReadRotation(stream)) % 180 == 90)
        {
            (width, height) = (height, width);
        }

        double framesPerSecond = ParseRate(stream, "avg_frame_rate") ?? ParseRate(stream, "r_frame_rate") ?? 0;
        int? frameCount = stream.TryGetProperty("nb_frames", out JsonElement frames)
            && int.TryParse(frames.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count > 0
            ? count
            : null;
        string codec = stream.TryGetProperty("codec_name", out JsonElement codecName) ? codecName.GetString() ?? "unknown" : "unknown";
        return new VideoInfo(width, height, framesPerSecond, frameCount, codec);
    }

    private static int ReadInt(JsonElement element, string property) =>
        element.TryGetProperty(property, out JsonElement value) && value.TryGetInt32(out int result) ? result : 0;

    /// <summary>Rotation in degrees from the display-matrix side data (ffmpeg 5+) or the older "rotate" tag.</summary>
    private static int ReadRotation(JsonElement stream)
    {
        if (stream.TryGetProperty("side_data_list", out JsonElement sideData) && sideData.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement entry in sideData.EnumerateArray())
            {
                if (entry.TryGetProperty("rotation", out JsonElement rotation) && rotation.TryGetDouble(out double degrees))
                {
                    return (int)Math.Round(degrees);
                }
            }
        }

        return stream.TryGetProperty("tags", out JsonElement tags)
            && tags.TryGetProperty("rotate", out JsonElement rotate)
            && int.TryParse(rotate.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int tagDegrees)
            ? tagDegrees
            : 0;
    }

    /// <summary>Parses ffprobe's "num/den" rate; null for "0/0" and other unknowns.</summary>
    private static double? ParseRate(JsonElement stream, string property)
    {
        if (!stream.TryGetProperty(property, out JsonElement value) || value.GetString() is not { } text)
        {
            return null;
        }

        int slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0
            || !double.TryParse(text.AsSpan(0, slash), NumberStyles.Float, CultureInfo.InvariantCulture, out double numerator)
            || !double.TryParse(text.AsSpan(slash + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double denominator)
            || numerator <= 0 || denominator <= 0)
        {
            return null;
        }

        return numerator / denominator;
    }
}
