using Grid.Contracts.Frames;
using System.CommandLine;
using System.Diagnostics;
using Grid.Codec;
using Grid.Imaging;

namespace Grid.Cli.Commands;

/// <summary><c>grid encode IMAGE -o FRAME.vqf</c>: one image file into one VQF frame file.</summary>
public static class EncodeCommand
{
    public static Command Create()
    {
        var image = new Argument<FileInfo>("image") { Description = "PNG, JPEG or binary PPM image" };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Frame file to write (.vqf)", Required = true };
        Option<DirectoryInfo?> model = CommonOptions.Model();
        Option<string> device = CommonOptions.Device();
        Option<int> threads = CommonOptions.Threads();
        Option<string> precision = CommonOptions.Precision();
        Option<int> deviceBatch = CommonOptions.DeviceBatch();
        Option<string> coding = CodingOption.Create();
        Option<string?> quality = QualityOption.Create("standard", "default standard");
        var command = new Command("encode", "Compress an image into a VQF frame (9-bit codebook indices, optionally entropy-coded)") { image, output, model, coding, quality, device, threads, precision, deviceBatch };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            CommonOptions.ApplyInference(parse.GetValue(precision)!, parse.GetValue(deviceBatch));
            FileInfo input = parse.GetValue(image)!;
            FileInfo destination = parse.GetValue(output)!;
            using VqCodec codec = VqCodec.Load(CommonOptions.ModelPath(parse.GetValue(model)), parse.GetValue(device)!);
            RgbImage picture = ImageFile.Read(input.FullName);
            var clock = Stopwatch.StartNew();
            FrameQuality level = QualityOption.Parse(parse.GetValue(quality)) ?? FrameQuality.Standard;
            byte[] frame = codec.Encode(picture, CodingOption.Parse(parse.GetValue(coding)), level);
            clock.Stop();
            AtomicFile.Write(destination.FullName, frame);
            long raw = (long)picture.Width * picture.Height * 3;
            Console.WriteLine(
                $"{input.Name} {picture.Width}x{picture.Height} -> {destination.Name}: {frame.Length:N0} bytes, " +
                $"{frame.Length * 8.0 / ((long)picture.Width * picture.Height):F4} bpp, {(double)raw / frame.Length:F1}x smaller than raw RGB; " +
                $"model v{codec.Version} ({VqfFormat.FormatFingerprint(codec.Fingerprint)}), {parse.GetValue(coding)} coding, quality {FrameQualities.Name(level)}, {clock.Elapsed.TotalMilliseconds:F0} ms");
            return ExitCodes.Success;
        });
        return command;
    }
}
