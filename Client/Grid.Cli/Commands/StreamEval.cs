using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grid.Codec;
using Grid.Contracts.Frames;
using Grid.Evaluation;
using Grid.Imaging;

namespace Grid.Cli.Commands;

/// <summary><c>grid eval --stream VIDEO</c>: bytes per frame of a stream, fixed rate vs baseline vs learned, and the coded path's speed.</summary>
internal static class StreamEval
{
    public static int Run(VqCodec codec, FileInfo video, int frames, int keyEvery, bool asJson)
    {
        if (frames < 1 || keyEvery < 1)
        {
            throw new ArgumentException($"--frames and --key-every must be at least 1 (got {frames}, {keyEvery})");
        }

        using VideoReader reader = VideoReader.Open(video.FullName, frames);
        StreamEvaluation result = StreamEvaluator.Evaluate(codec, reader.Frames(), keyEvery, done =>
        {
            if (!asJson && done % 25 == 0)
            {
                Console.Error.WriteLine($"{done} frames");
            }
        });
        int n = result.Frames.Count;
        if (n == 0)
        {
            throw new InvalidDataException($"{video.FullName} has no frames");
        }

        double fixedPerFrame = (double)result.FixedBytes / n;
        double pixels = (double)result.Width * result.Height;
        if (asJson)
        {
            var json = new JsonObject
            {
                ["video"] = video.Name,
                ["frames"] = n,
                ["width"] = result.Width,
                ["height"] = result.Height,
                ["key_every"] = result.KeyInterval,
                ["fixed_bytes"] = result.FixedBytes,
                ["baseline_bytes"] = result.BaselineBytes,
                ["learned_bytes"] = result.LearnedBytes,
                ["baseline_ratio"] = Math.Round((double)result.FixedBytes / result.BaselineBytes, 2),
                ["learned_ratio"] = Math.Round((double)result.FixedBytes / result.LearnedBytes, 2),
                ["fixed_encode_fps"] = Math.Round(n / result.FixedEncodeSeconds, 2),
                ["learned_encode_fps"] = Math.Round(n / result.LearnedEncodeSeconds, 2),
                ["fixed_decode_fps"] = Math.Round(n / result.FixedDecodeSeconds, 2),
                ["learned_decode_fps"] = Math.Round(n / result.LearnedDecodeSeconds, 2),
                ["sizes"] = new JsonArray([.. result.Frames.Select(f => (JsonNode)new JsonArray(f.Sequence, f.Kind == FrameKind.Key ? "key" : "inter", f.FixedBytes, f.BaselineBytes, f.LearnedBytes))]),
            };
            Console.WriteLine(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Success;
        }

        string Row(string name, long bytes) => string.Create(CultureInfo.InvariantCulture,
            $"  {name,-9} {bytes,12:N0} bytes  {(double)bytes / n,10:N0} bytes/frame  {bytes * 8.0 / n / pixels,7:F4} bpp  {(double)result.FixedBytes / bytes,6:F2}x smaller than fixed");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{video.Name}: {n} frames of {result.Width}x{result.Height}, key frame every {result.KeyInterval}, model v{codec.Version} ({VqfFormat.FormatFingerprint(codec.Fingerprint)}), whole frames with headers"));
        Console.WriteLine(Row("fixed", result.FixedBytes));
        Console.WriteLine(Row("baseline", result.BaselineBytes));
        Console.WriteLine(Row("learned", result.LearnedBytes));
        double keyBytes = result.Frames.Where(f => f.Kind == FrameKind.Key).Average(f => f.LearnedBytes);
        double interBytes = result.Frames.Any(f => f.Kind == FrameKind.Inter) ? result.Frames.Where(f => f.Kind == FrameKind.Inter).Average(f => f.LearnedBytes) : double.NaN;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  learned: key frames {keyBytes:N0} bytes, inter frames {interBytes:N0} bytes on average (fixed {fixedPerFrame:N0})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"speed, same run, frame by frame: encode {n / result.FixedEncodeSeconds:F1} frames/s fixed, {n / result.LearnedEncodeSeconds:F1} learned ({result.FixedEncodeSeconds / result.LearnedEncodeSeconds:F2}x); " +
            $"decode {n / result.FixedDecodeSeconds:F1} fixed, {n / result.LearnedDecodeSeconds:F1} learned ({result.FixedDecodeSeconds / result.LearnedDecodeSeconds:F2}x)"));
        Console.WriteLine("every baseline and learned frame decoded to exactly the fixed-rate indices and pixels");
        return ExitCodes.Success;
    }
}
