using System.Diagnostics;
using System.Globalization;
using Grid.Codec;
using Grid.Native;

namespace Grid.Training;

/// <summary>
/// Trains a VQ-VAE on random crops of the training images: optional k-means codebook initialisation from encoder
/// outputs, warm-up + cosine learning rate, gradient clipping, EMA or gradient codebook, dead-code restarts,
/// periodic validation on held-out images, checkpoints, and a CSV log. Interrupting saves a checkpoint.
/// </summary>
public sealed class TrainingRun
{
    public const string LogFile = "train.csv";
    private const int CalibrationSteps = 10;

    private readonly TrainOptions _options;
    private readonly Action<string> _log;
    private readonly Action<TrainProgress> _progress;

    public TrainingRun(TrainOptions options, Action<string> log, Action<TrainProgress> progress)
    {
        IReadOnlyList<string> errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }
        _options = options;
        _log = log;
        _progress = progress;
    }

    public TrainResult Run(CancellationToken cancellationToken)
    {
        TrainOptions options = _options;
        _log($"loading training images from {string.Join(", ", options.TrainDirectories)}");
        TrainingImages images = TrainingImages.Load(options.TrainDirectories);
        string dataFingerprint = images.Fingerprint();
        _log($"{images.Count} training images, {images.TotalPixels / 1e6:F1} megapixels (data {dataFingerprint})");
        ValidationSet? validation = options.ValidationDirectories.Count > 0 ? ValidationSet.Load(options.ValidationDirectories) : null;
        if (validation is not null)
        {
            _log($"{validation.Count} held-out images for validation");
        }
        Directory.CreateDirectory(options.OutputDirectory);

        Checkpoint settings;
        NativeModel model;
        NativeTrainer trainer;
        double elapsedBefore = 0;
        string? resumedFrom = null;
        if (options.Resume)
        {
            string directory = Checkpoint.Latest(options.OutputDirectory)
                ?? throw new InvalidOperationException($"--resume: no checkpoint in {Path.Combine(options.OutputDirectory, "checkpoints")}");
            Checkpoint saved = Checkpoint.Read(directory);
            long total = options.Steps ?? saved.TotalSteps;
            if (total < saved.Step)
            {
                throw new ArgumentException($"--steps {total} is below the checkpoint's step {saved.Step}");
            }
            if (saved.DataFingerprint is not null && saved.DataFingerprint != dataFingerprint)
            {
                // Batches are drawn from the images by (seed, step): other images would silently make it another run.
                throw new ArgumentException(
                    $"--resume: the run was training on {saved.TrainImages} images (data {saved.DataFingerprint}); --data now " +
                    $"gives {images.Count} images with other contents (data {dataFingerprint}). Resume with the run's --data, " +
                    "or start a new run from its weights with --init");
            }
            settings = saved with { TotalSteps = total, DataFingerprint = dataFingerprint, TrainImages = images.Count };
            model = NativeModel.Load(File.ReadAllBytes(Path.Combine(directory, ModelDirectory.WeightsFile)), options.Device);
            trainer = NativeTrainer.Create(model, TrainConfigFor(settings));
            trainer.LoadState(File.ReadAllBytes(Path.Combine(directory, Checkpoint.StateFile)));
            elapsedBefore = saved.ElapsedSeconds;
            resumedFrom = directory;
            _log($"resuming from {directory} at step {saved.Step} of {total} (the checkpoint's batch, crop, seed and schedule apply)");
        }
        else
        {
            double variance = images.PixelVariance();
            settings = new Checkpoint
            {
                Step = 0,
                TotalSteps = options.Steps ?? 0,
                ElapsedSeconds = 0,
                DataVariance = variance,
                Batch = options.Batch,
                Crop = options.Crop,
                Seed = options.Seed,
                LearningRate = options.LearningRate,
                WarmupSteps = options.WarmupSteps,
                MinLearningRateFraction = options.MinLearningRateFraction,
                Model = options.Model,
                CodebookMode = options.CodebookMode,
                DeadCodeThreshold = options.DeadCodeThreshold,
                GradientClipNorm = options.GradientClipNorm,
                KMeansInit = options.KMeansInit,
                Frozen = options.Frozen.Count > 0 ? [.. options.Frozen.Distinct().Order()] : null,
                DataFingerprint = dataFingerprint,
                TrainImages = images.Count,
            };
            if (options.InitFrom is not null)
            {
                (ModelCard initial, byte[] weights) = ModelDirectory.Read(options.InitFrom);
                model = NativeModel.Load(weights, options.Device);
                // The architecture is the starting model's; its trained codebook makes k-means initialisation moot.
                settings = settings with
                {
                    Model = model.Config,
                    KMeansInit = false,
                    InitialisedFrom = new InitialModel(Path.GetFullPath(options.InitFrom), initial.Fingerprint, initial.Version, initial.Training?.Steps),
                };
                _log($"starting from {options.InitFrom} (fingerprint {initial.Fingerprint}, version {initial.Version}): fresh optimiser, warm-up and schedule");
            }
            else
            {
                model = NativeModel.Create(options.Model, options.Device, options.Seed);
            }
            trainer = NativeTrainer.Create(model, TrainConfigFor(settings));
            if (settings.InitialisedFrom is not null)
            {
                // A trained codebook's usage starts at the mean assignments per code and step, not at the restart
                // threshold: rarely used but useful codes then get ~200 steps of decay to show their use before a
                // restart, instead of a third of the codebook being re-seeded in the first steps.
                int latentsPerStep = settings.Batch * (settings.Crop / ModelConfig.Downsample) * (settings.Crop / ModelConfig.Downsample);
                trainer.ResetCodebookState(Math.Max(settings.DeadCodeThreshold, (float)latentsPerStep / settings.Model.CodebookSize));
            }
            _log($"model: {model.ParameterCount:N0} parameters, codebook {settings.Model.CodebookSize} x {settings.Model.EmbeddingDim}, data variance {variance:F4}");
            if (settings.KMeansInit)
            {
                InitialiseCodebook(images, model, trainer, settings);
            }
        }
        if (settings.Frozen is { Count: > 0 } frozen)
        {
            _log($"frozen (not updated): {string.Join(", ", frozen).ToLowerInvariant()}");
        }

        using (model)
        using (trainer)
        {
            return Train(images, validation, model, trainer, settings, elapsedBefore, resumedFrom, cancellationToken);
        }
    }

    private TrainResult Train(TrainingImages images, ValidationSet? validation, NativeModel model, NativeTrainer trainer,
        Checkpoint settings, double elapsedBefore, string? resumedFrom, CancellationToken cancellationToken)
    {
        TrainOptions options = _options;
        int batch = settings.Batch, crop = settings.Crop;
        byte[] pixels = new byte[batch * crop * crop * 3];
        long step = settings.Step;
        long totalSteps = settings.TotalSteps;
        var schedule = new LearningRateSchedule(settings.LearningRate, settings.WarmupSteps, Math.Max(totalSteps, 1), settings.MinLearningRateFraction);
        var clock = Stopwatch.StartNew();
        var window = new Queue<(long Step, double Seconds)>();
        ValidationResult? lastValidation = null;
        using var csv = new TrainingLog(Path.Combine(options.OutputDirectory, LogFile));

        while (totalSteps == 0 || step < totalSteps)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            step++;
            images.FillBatch(settings.Seed, step, batch, crop, pixels);
            float learningRate = schedule.At(step);
            StepResult result = trainer.Step(pixels, batch, crop, crop, learningRate);
            double seconds = elapsedBefore + clock.Elapsed.TotalSeconds;

            window.Enqueue((step, seconds));
            if (window.Count > 50)
            {
                window.Dequeue();
            }
            (long firstStep, double firstSeconds) = window.Peek();
            double imagesPerSecond = step > firstStep ? (step - firstStep) * batch / (seconds - firstSeconds) : 0;

            if (totalSteps == 0 && step == CalibrationSteps)
            {
                // --minutes: fix the step count from the measured speed so the schedule is step-based from here on.
                double perStep = clock.Elapsed.TotalSeconds / CalibrationSteps;
                totalSteps = Math.Max(CalibrationSteps + 1, (long)(options.Minutes!.Value * 60 / perStep));
                schedule = schedule with { TotalSteps = totalSteps };
                _log($"{perStep * 1000:F0} ms per step: {totalSteps} steps fit in {options.Minutes} minutes");
            }

            bool validateNow = validation is not null && (step % options.ValidateEvery == 0 || step == totalSteps);
            if (validateNow)
            {
                lastValidation = validation!.Measure(model);
            }
            csv.Append(step, seconds, learningRate, result, imagesPerSecond, validateNow ? lastValidation : null);

            long known = Math.Max(totalSteps, step);
            double rate = step > firstStep ? (seconds - firstSeconds) / (step - firstStep) : 0;
            _progress(new TrainProgress(step, known, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(rate * (known - step)),
                learningRate, result, imagesPerSecond, lastValidation));

            if (step % options.CheckpointEvery == 0 && step != totalSteps)
            {
                SaveCheckpoint(settings, step, totalSteps, seconds, model, trainer);
            }
        }

        double elapsed = elapsedBefore + clock.Elapsed.TotalSeconds;
        double throughput = (step - settings.Step) * batch / Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        bool completed = step >= totalSteps && totalSteps > 0;
        SaveCheckpoint(settings, step, totalSteps, elapsed, model, trainer);
        if (!completed)
        {
            _log($"interrupted at step {step} of {totalSteps}: checkpoint saved; continue with --resume");
            return new TrainResult(options.OutputDirectory, step, false, lastValidation, TimeSpan.FromSeconds(elapsed), throughput);
        }

        ValidationResult? final = validation?.Measure(model);
        byte[] weights = model.Save();
        ModelCard card = ModelDirectory.CardFor(model, weights, options.Version) with
        {
            Training = new TrainingRecord
            {
                Command = options.Command,
                Data = [.. options.TrainDirectories],
                TrainImages = images.Count,
                DataFingerprint = settings.DataFingerprint,
                Steps = step,
                Batch = batch,
                Crop = crop,
                Seed = settings.Seed,
                LearningRate = settings.LearningRate,
                WarmupSteps = settings.WarmupSteps,
                MinLearningRateFraction = settings.MinLearningRateFraction,
                GradientClipNorm = settings.GradientClipNorm,
                CodebookMode = settings.CodebookMode,
                KMeansInit = settings.KMeansInit,
                DeadCodeThreshold = settings.DeadCodeThreshold,
                DataVariance = (float)settings.DataVariance,
                Frozen = settings.Frozen,
                Seconds = Math.Round(elapsed, 1),
                ImagesPerSecond = Math.Round(throughput, 1),
                Threads = NativeRuntime.Threads,
                Device = options.Device,
                ResumedFrom = resumedFrom,
                InitialisedFrom = settings.InitialisedFrom,
            },
            Validation = final is null ? null : new EvaluationRecord
            {
                Data = string.Join(", ", options.ValidationDirectories),
                Images = validation!.Count,
                MeanPsnr = Math.Round(final.MeanPsnr, 3),
                MeanBpp = Math.Round(final.MeanBpp, 5),
                CodesUsed = final.CodesUsed,
                Perplexity = Math.Round(final.Perplexity, 1),
                TopCodeShare = Math.Round(final.TopCodeShare, 5),
            },
        };
        ModelDirectory.Write(options.OutputDirectory, card, weights);
        _log($"wrote {Path.Combine(options.OutputDirectory, ModelDirectory.WeightsFile)} (fingerprint {card.Fingerprint}) and {ModelDirectory.CardFile}");
        return new TrainResult(options.OutputDirectory, step, true, final, TimeSpan.FromSeconds(elapsed), throughput);
    }

    private void InitialiseCodebook(TrainingImages images, NativeModel model, NativeTrainer trainer, Checkpoint settings)
    {
        int batch = settings.Batch, crop = settings.Crop, dim = settings.Model.EmbeddingDim, k = settings.Model.CodebookSize;
        int perBatch = batch * (crop / ModelConfig.Downsample) * (crop / ModelConfig.Downsample);
        int batches = _options.KMeansBatches;
        while ((long)perBatch * batches < 4L * k)
        {
            batches++; // at least four points per centre
        }
        var latents = new float[(long)perBatch * batches * dim];
        byte[] pixels = new byte[batch * crop * crop * 3];
        for (int b = 0; b < batches; b++)
        {
            // Negative streams: never the same crops as the training steps, which use streams 1, 2, ...
            images.FillBatch(settings.Seed, -1 - b, batch, crop, pixels);
            model.EncodeLatents(pixels, batch, crop, crop, latents.AsSpan(b * perBatch * dim, perBatch * dim));
        }
        double meanSquare = 0;
        foreach (float v in latents)
        {
            meanSquare += (double)v * v;
        }
        float scale = (float)Math.Sqrt(meanSquare / (latents.Length / dim));
        float[] centres = new float[k * dim];
        var clock = Stopwatch.StartNew();
        KMeansResult result = NativeRuntime.KMeans(latents, dim, k, default, maxIterations: 50, tolerance: 1e-3f * scale,
            settings.Seed, centres, _options.Device);
        model.SetCodebook(centres);
        // Usage starts at the restart threshold: a centre the encoder stops using in the first steps (its outputs
        // grow quickly from their initial scale) is re-seeded from current outputs at once, not after ~200 steps of
        // decay during which the codebook collapses to a handful of codes.
        trainer.ResetCodebookState(settings.DeadCodeThreshold > 0 ? settings.DeadCodeThreshold : (float)perBatch / k);
        _log(string.Create(CultureInfo.InvariantCulture,
            $"k-means codebook init: {latents.Length / dim} encoder outputs, {result.Iterations} iterations, inertia {result.Inertia:G4}, {clock.Elapsed.TotalSeconds:F1} s"));
    }

    private static TrainConfig TrainConfigFor(Checkpoint settings) => new()
    {
        DataVariance = (float)settings.DataVariance,
        GradientClipNorm = settings.GradientClipNorm,
        Mode = settings.CodebookMode,
        DeadCodeThreshold = settings.DeadCodeThreshold,
        TrainEncoder = settings.Frozen?.Contains(ModelPart.Encoder) != true,
        TrainDecoder = settings.Frozen?.Contains(ModelPart.Decoder) != true,
        TrainCodebook = settings.Frozen?.Contains(ModelPart.Codebook) != true,
        Seed = settings.Seed,
    };

    private void SaveCheckpoint(Checkpoint settings, long step, long totalSteps, double elapsed, NativeModel model, NativeTrainer trainer)
    {
        Checkpoint checkpoint = settings with { Step = step, TotalSteps = totalSteps, ElapsedSeconds = elapsed };
        checkpoint.Save(Checkpoint.DirectoryFor(_options.OutputDirectory, step), model, trainer);
    }
}
