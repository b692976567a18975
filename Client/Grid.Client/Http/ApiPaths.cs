using System.Globalization;
using System.Text;
using Grid.Contracts.Frames;

namespace Grid.Client.Http;

/// <summary>Relative paths and query strings of the API's routes (docs/api.md).</summary>
internal static class ApiPaths
{
    internal const string Encode = "v1/encode";

    /// <summary>
    /// <paramref name="path"/> with <c>quality=</c> (low, standard, high, max) when a level is named; unchanged for null,
    /// which leaves the choice to the server (standard for an encode, the stream's own level for an append).
    /// </summary>
    internal static string WithQuality(string path, FrameQuality? quality) =>
        quality is { } level ? path + (path.Contains('?', StringComparison.Ordinal) ? '&' : '?') + "quality=" + FrameQualities.Name(level) : path;
    internal const string Streams = "v1/streams";
    internal const string Models = "v1/models";
    internal const string Status = "v1/status";

    internal static string Decode(ImageFormat format) => $"v1/decode?format={Name(format)}";

    internal static string Stream(string stream) => $"v1/streams/{Uri.EscapeDataString(stream)}";

    internal static string Frames(string stream) => Stream(stream) + "/frames";

    internal static string Frame(string stream, long sequence, PayloadFormat format) =>
        string.Create(CultureInfo.InvariantCulture, $"{Frames(stream)}/{sequence}?format={Name(format)}");

    internal static string Replay(string stream, long? from, long? to, PayloadFormat format)
    {
        var path = new StringBuilder(Frames(stream)).Append("?format=").Append(Name(format));
        if (from is { } first)
        {
            path.Append(CultureInfo.InvariantCulture, $"&from={first}");
        }
        if (to is { } last)
        {
            path.Append(CultureInfo.InvariantCulture, $"&to={last}");
        }
        return path.ToString();
    }

    internal static string Live(string stream, long? from, PayloadFormat format) =>
        Stream(stream) + "/live?format=" + Name(format) + (from is { } first ? string.Create(CultureInfo.InvariantCulture, $"&from={first}") : "");

    internal static string Ingest(string stream) => Stream(stream) + "/ingest";

    internal static string Model(uint version) => string.Create(CultureInfo.InvariantCulture, $"v1/models/{version}");

    internal const string Refresh = "v1/models/refresh";

    internal static string Cycles(int count) => string.Create(CultureInfo.InvariantCulture, $"v1/models/cycles?count={count}");

    internal static string Cycle(long id) => string.Create(CultureInfo.InvariantCulture, $"v1/models/cycles/{id}");

    internal static string Rollback(uint version) => string.Create(CultureInfo.InvariantCulture, $"v1/models/rollback?version={version}");

    internal const string Keys = "v1/keys";

    internal static string Key(string id) => "v1/keys/" + Uri.EscapeDataString(id);

    internal static string Name(PayloadFormat format) => format switch
    {
        PayloadFormat.Vqf => "vqf",
        PayloadFormat.Png => "png",
        PayloadFormat.Jpeg => "jpeg",
        PayloadFormat.Ppm => "ppm",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a defined PayloadFormat"),
    };

    internal static string Name(ImageFormat format) => format switch
    {
        ImageFormat.Png => "png",
        ImageFormat.Jpeg => "jpeg",
        ImageFormat.Ppm => "ppm",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a defined ImageFormat"),
    };
}
