using System.CommandLine;
using Grid.Cli.Display;
using Grid.Codec;
using Grid.Native;
using Grid.Training;

namespace Grid.Cli.Commands;

/// <summary><c>grid train --data DIR --out MODELDIR (--steps N | --minutes M)</c>.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo[]>("--data")
        {
            Description = "Data directory (repeatable). Its train/ subfolder (or the folder itself) is trained on; its val/ subfolder is held out for validation",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Model directory to write (weights, card, checkpoints, train.csv)", Required = true };
        var steps = new Option<long?>("--steps") { Description = "Optimizer steps to run" };
        var minutes = new Option<double?>("--minutes") { Description = "Train for about this many minutes instead of a step count" };
        var defaults = new TrainOptions { TrainDirectories = [], OutputDirectory = "" };
        var batch = new Option<int>("--batch") { Description = "Crops per step", DefaultValueFactory = _ => defaults.Batch };
        var crop = new Option<int>("--crop") { Description = "Crop side in pixels (multiple of 4)", DefaultValueFactory = _ => defaults.Crop };
        var seed = new Option<ulong>("--seed") { Description = "Seed for weights, crops and restarts (same seed + --steps = same model)", DefaultValueFactory = _ => defaults.Seed };
        var learningRate = new Option<float>("--lr") { Description = "Peak learning rate (Adam)", DefaultValueFactory = _ => defaults.LearningRate };
        var warmup = new Option<int>("--warmup") { Description = "Linear warm-up steps before cosine decay", DefaultValueFactory = _ => defaults.WarmupSteps };
        var clip = new Option<float>("--clip") { Description = "Gradient clipping (global L2 norm; 0 disables)", DefaultValueFactory = _ => defaults.GradientClipNorm };
        var codebook = new Option<CodebookMode>("--codebook") { Description = "Codebook learning: ema or gradient", DefaultValueFactory = _ => defaults.CodebookMode };
        var kmeans = new Option<bool>("--kmeans-init") { Description = "Initialise the codebook by k-means over encoder outputs", DefaultValueFactory = _ => defaults.KMeansInit };
        var deadCode = new Option<float>("--dead-code-threshold") { Description = "Re-seed codes whose usage EMA falls below this (0 disables)", DefaultValueFactory = _ => defaults.DeadCodeThreshold };
        var validateEvery = new Option<int>("--validate-every") { Description = "Validation interval in steps", DefaultValueFactory = _ => defaults.ValidateEvery };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Checkpoint interval in steps", DefaultValueFactory = _ => defaults.CheckpointEvery };
        var resume = new Option<bool>("--resume") { Description = "Continue from the newest checkpoint in --out" };
        var init = new Option<DirectoryInfo?>("--init")
        {
            Description = "Fine-tune: start from this model directory's weights and codebook (its architecture applies) with a fresh optimiser and schedule",
        };
        var freeze = new Option<ModelPart[]>("--freeze")
        {
            Description = "Parts not to update: encoder, decoder, codebook (e.g. --init MODELDIR --freeze encoder codebook: a decoder-only fine-tune that keeps every frame's indices)",
            AllowMultipleArgumentsPerToken = true,
        };
        var version = new Option<uint>("--version") { Description = "Model version recorded in the card and in every frame", DefaultValueFactory = _ => defaults.Version };
        var hidden = new Option<int>("--hidden") { Description = "Hidden channels", DefaultValueFactory = _ => defaults.Model.HiddenChannels };
        var residual = new Option<int>("--residual") { Description = "Residual hidden channels", DefaultValueFactory = _ => defaults.Model.ResidualChannels };
        var embedding = new Option<int>("--embedding-dim") { Description = "Codebook vector size D", DefaultValueFactory = _ => defaults.Model.EmbeddingDim };
        var codes = new Option<int>("--codebook-size") { Description = "Codebook size K", DefaultValueFactory = _ => defaults.Model.CodebookSize };
        Option<string> device = CommonOptions.Device();
        Option<int> threads = CommonOptions.Threads();

        var command = new Command("train", "Train a VQ-VAE model on image folders, with live loss, PSNR, codebook usage and ETA")
        {
            data, output, steps, minutes, batch, crop, seed, learningRate, warmup, clip, codebook, kmeans, deadCode,
            validateEvery, checkpointEvery, resume, init, freeze, version, hidden, residual, embedding, codes, device, threads,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            CommonOptions.ApplyThreads(parse.GetValue(threads));
            DirectoryInfo? initFrom = parse.GetValue(init);
            string[] architecture = [.. new Option[] { hidden, residual, embedding, codes }
                .Where(option => parse.GetResult(option) is { Implicit: false })
                .Select(option => option.Name)];
            if (initFrom is not null && architecture.Length > 0)
            {
                throw new ArgumentException($"--init takes the architecture from the model; drop {string.Join(", ", architecture)}");
            }
            if (initFrom is not null && !File.Exists(Path.Combine(initFrom.FullName, ModelDirectory.WeightsFile)))
            {
                throw new DirectoryNotFoundException($"--init: '{initFrom.FullName}' holds no {ModelDirectory.WeightsFile}");
            }
            DirectoryInfo[] directories = parse.GetValue(data)!;
            var train = new List<string>();
            var validation = new List<string>();
            foreach (DirectoryInfo directory in directories)
            {
                if (!directory.Exists)
                {
                    throw new DirectoryNotFoundException($"data directory '{directory.FullName}' does not exist (./grid data prepares the sample data)");
                }
                string trainPart = Path.Combine(directory.FullName, "train");
                string validationPart = Path.Combine(directory.FullName, "val");
                train.Add(Directory.Exists(trainPart) ? trainPart : directory.FullName);
                if (Directory.Exists(validationPart))
                {
                    validation.Add(validationPart);
                }
            }
            var options = new TrainOptions
            {
                TrainDirectories = train,
                ValidationDirectories = validation,
                OutputDirectory = parse.GetValue(output)!.FullName,
                Steps = parse.GetValue(steps),
                Minutes = parse.GetValue(minutes),
                Batch = parse.GetValue(batch),
                Crop = parse.GetValue(crop),
                Seed = parse.GetValue(seed),
                LearningRate = parse.GetValue(learningRate),
                WarmupSteps = parse.GetValue(warmup),
                GradientClipNorm = parse.GetValue(clip),
                CodebookMode = parse.GetValue(codebook),
                KMeansInit = parse.GetValue(kmeans),
                DeadCodeThreshold = parse.GetValue(deadCode),
                ValidateEvery = parse.GetValue(validateEvery),
                CheckpointEvery = parse.GetValue(checkpointEvery),
                Resume = parse.GetValue(resume),
                InitFrom = initFrom?.FullName,
                Version = parse.GetValue(version),
                Frozen = parse.GetValue(freeze) ?? [],
                Model = new ModelConfig(parse.GetValue(hidden), parse.GetValue(residual), 2, parse.GetValue(embedding), parse.GetValue(codes)),
                Device = parse.GetValue(device)!,
                Command = "grid " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1)),
            };
            // On a worker thread: System.CommandLine installs its Ctrl+C/SIGTERM handler only once the action has
            // returned its task, so a synchronous training loop would die to the signal without its checkpoint.
            TrainResult result = await Task.Run(() => TrainDisplay.Run((log, update) => new TrainingRun(options, log, update).Run(cancellationToken)), CancellationToken.None);
            return result.Completed ? ExitCodes.Success : ExitCodes.Interrupted;
        });
        return command;
    }
}
