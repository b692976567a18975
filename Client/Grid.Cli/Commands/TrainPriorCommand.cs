using System.CommandLine;
using System.Diagnostics;
using Grid.Codec;
using Grid.Contracts.Frames;
using Grid.Entropy;
using Grid.Evaluation;
using Grid.Imaging;

namespace Grid.Cli.Commands;

/// <summary>
/// <c>grid train-prior --data DIR... [--sequence DIR...] [--video FILE... [--video-frames N]] [--model DIR] [--out FILE]</c>:
/// encodes the training images (and consecutive frames of training videos) with the model and learns its context
/// prior for entropy-coded frames (docs/entropy-coding.md).
/// </summary>
public static class TrainPriorCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo[]>("--data")
        {
            Description = "Directory of training images (repeatable), e.g. data/images/train and data/frames/train",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var sequence = new Option<DirectoryInfo[]>("--sequence")
        {
            Description = "Directory of consecutive video frames, in name order (repeatable): inter-frame statistics",
            AllowMultipleArgumentsPerToken = true,
        };
        var video = new Option<FileInfo[]>("--video")
        {
            Description = "Training video (repeatable): its first --video-frames consecutive frames give the inter-frame statistics",
            AllowMultipleArgumentsPerToken = true,
        };
        var videoFrames = new Option<int>("--video-frames")
        {
            Description = "Frames read from each --video",
            DefaultValueFactory = _ => 200,
        };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Prior file to write (default: MODELDIR/prior.bin)" };
        Option<DirectoryInfo?> model = CommonOptions.Model();
        Option<string> device = CommonOptions.Device();
        Option<int> threads = CommonOptions.Threads();
        var command = new Command("train-prior", "Learn the model's context prior (prior.bin) for entropy-coded frames from the index maps of training images")
        {
            data, sequence, video, videoFrames, output, model, device, threads,
        };
        command.SetAction(parse =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            string modelDirectory = CommonOptions.ModelPath(parse.GetValue(model));
            string destination = parse.GetValue(output)?.FullName ?? Path.Combine(modelDirectory, PriorFile.FileName);
            string[] images = [.. parse.GetValue(data)!.SelectMany(d => Evaluator.ImageFiles(d.FullName))];
            string[][] sequences = [.. (parse.GetValue(sequence) ?? []).Select(d => Evaluator.ImageFiles(d.FullName).ToArray())];
            FileInfo[] videos = parse.GetValue(video) ?? [];
            int maxVideoFrames = parse.GetValue(videoFrames);
            if (maxVideoFrames < 2)
            {
                throw new ArgumentException($"--video-frames must be at least 2 (consecutive pairs), not {maxVideoFrames}");
            }

            foreach (FileInfo videoFile in videos)
            {
                if (!videoFile.Exists)
                {
                    throw new FileNotFoundException($"video not found: {videoFile.FullName}", videoFile.FullName);
                }
            }
            using VqCodec codec = VqCodec.Load(modelDirectory, parse.GetValue(device)!);
            var trainer = new PriorTrainer(codec.Config.CodebookSize);
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < images.Length; i++)
            {
                IndexMap map = Indices(codec, images[i]);
                trainer.AddKeyFrame(map);
                Console.WriteLine($"[{i + 1}/{images.Length}] {Path.GetFileName(images[i])}: {map.Width}x{map.Height} indices ({clock.Elapsed.TotalSeconds:F0} s)");
            }

            int pairs = 0;
            foreach (string[] frames in sequences)
            {
                IndexMap? previous = null;
                foreach (string path in frames)
                {
                    IndexMap map = Indices(codec, path);
                    if (previous is not null && previous.Width == map.Width && previous.Height == map.Height)
                    {
                        trainer.AddInterFrame(previous, map);
                        pairs++;
                    }

                    previous = map;
                }

                Console.WriteLine($"sequence of {frames.Length} frames: {pairs} consecutive pairs so far ({clock.Elapsed.TotalSeconds:F0} s)");
            }

            foreach (FileInfo videoFile in videos)
            {
                using VideoReader reader = VideoReader.Open(videoFile.FullName, maxVideoFrames);
                IndexMap? previous = null;
                int frames = 0;
                while (reader.TryReadFrame(out RgbImage? frame))
                {
                    ushort[] indices = VqfReader.ReadIndices(codec.Encode(frame), out FrameInfo info);
                    var map = new IndexMap(indices, info.LatentWidth, info.LatentHeight);
                    if (previous is not null)
                    {
                        trainer.AddInterFrame(previous, map);
                        pairs++;
                    }

                    previous = map;
                    frames++;
                }

                Console.WriteLine($"{videoFile.Name}: {frames} frames, {pairs} consecutive pairs so far ({clock.Elapsed.TotalSeconds:F0} s)");
            }

            ContextPrior prior = trainer.Build(codec.Fingerprint, new Progress<string>(Console.WriteLine));
            byte[] file = PriorFile.Write(prior);
            AtomicFile.Write(destination, file);
            Console.WriteLine(
                $"{destination}: {file.Length:N0} bytes, prior {VqfFormat.FormatFingerprint(prior.Fingerprint)} for model v{codec.Version} ({VqfFormat.FormatFingerprint(codec.Fingerprint)}); " +
                $"{trainer.Maps} images, {trainer.Positions:N0} indices, {pairs} frame pairs, {clock.Elapsed.TotalSeconds:F0} s");
            return ExitCodes.Success;
        });
        return command;
    }

    private static IndexMap Indices(VqCodec codec, string file)
    {
        RgbImage image = ImageFile.Read(file);
        ushort[] indices = VqfReader.ReadIndices(codec.Encode(image), out FrameInfo info);
        return new IndexMap(indices, info.LatentWidth, info.LatentHeight);
    }
}
