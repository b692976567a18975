using System.CommandLine;
using System.Diagnostics;
using Grid.Codec;
using Grid.Imaging;

namespace Grid.Cli.Commands;

/// <summary><c>grid decode FRAME.vqf -o IMAGE.png</c>: one frame back into an image file.</summary>
public static class DecodeCommand
{
    public static Command Create()
    {
        var frame = new Argument<FileInfo>("frame") { Description = "VQF frame file" };
        var output = new Option<FileInfo>("--output", "-o") { Description = "Image to write: .png, .jpg or .ppm", Required = true };
        Option<DirectoryInfo?> model = CommonOptions.Model();
        Option<string> device = CommonOptions.Device();
        Option<int> threads = CommonOptions.Threads();
        Option<string> precision = CommonOptions.Precision();
        Option<int> deviceBatch = CommonOptions.DeviceBatch();
        var command = new Command("decode", "Reconstruct an image from a VQF frame") { frame, output, model, device, threads, precision, deviceBatch };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            CommonOptions.ApplyInference(parse.GetValue(precision)!, parse.GetValue(deviceBatch));
            FileInfo input = parse.GetValue(frame)!;
            FileInfo destination = parse.GetValue(output)!;
            ImageFile.FormatFromExtension(destination.Name); // fail on an unknown extension before any work
            if (!input.Exists)
            {
                throw new FileNotFoundException($"frame file '{input.FullName}' does not exist");
            }
            byte[] bytes = File.ReadAllBytes(input.FullName);
            using VqCodec codec = VqCodec.Load(CommonOptions.ModelPath(parse.GetValue(model)), parse.GetValue(device)!);
            var clock = Stopwatch.StartNew();
            RgbImage picture = codec.Decode(bytes);
            clock.Stop();
            ImageFile.Write(destination.FullName, picture);
            Console.WriteLine($"{input.Name} -> {destination.Name} {picture.Width}x{picture.Height}, model v{codec.Version}, {clock.Elapsed.TotalMilliseconds:F0} ms");
            return ExitCodes.Success;
        });
        return command;
    }
}
