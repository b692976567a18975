using System.Diagnostics;
using System.Globalization;
using Grid.Contracts.Frames;
using Grid.Entropy;
using Grid.Imaging;
using Grid.Native;

namespace Grid.Training;

/// <summary>
/// The native work of one refresh cycle, on the calling thread (the trainer runs it on <see cref="TrainerThread"/>):
/// <list type="number">
/// <item>measure the current model on the held-out samples through the real frame path (encode, pack, decode);</item>
/// <item>encode training crops to encoder outputs and refit the codebook to them by k-means warm-started from the
/// current codebook (seed 001's algorithm: assign to the nearest centre, move centres to their members' mean, until
/// they move less than a tolerance; a code no output chooses any more — a dead code — is re-seeded with the output
/// farthest from its centre);</item>
/// <item>fine-tune the decoder (and optionally the encoder; never the codebook) on the training crops so it reads the
/// refitted codes;</item>
/// <item>measure the candidate on the same held-out samples (also after the refit alone, for the record).</item>
/// </list>
/// The current model's weights are never modified: the candidate is a separate native model.
/// </summary>
public static class CodebookRefresh
{
    /// <summary>Runs the refresh of <paramref name="currentWeights"/> on <paramref name="snapshot"/>.</summary>
    /// <exception cref="OperationCanceledException">Cancelled between steps (the trainer lost its lease, or stops).</exception>
    /// <exception cref="ArgumentException">The snapshot has no training or no held-out samples.</exception>
    public static RefreshOutcome Run(byte[] currentWeights, ReservoirSnapshot snapshot, TrainerOptions options, ulong seed,
        Action<string> log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(currentWeights);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(log);
        if (snapshot.Train.Count == 0 || snapshot.HeldOut.Count == 0)
        {
            throw new ArgumentException($"a refresh needs training and held-out samples; got {snapshot.Train.Count} and {snapshot.HeldOut.Count}", nameof(snapshot));
        }
        var clock = Stopwatch.StartNew();
        List<TrainingImages> streams = [.. snapshot.Train.GroupBy(s => s.Stream, StringComparer.Ordinal)
            .Select(g => new TrainingImages([.. g.Select(s => s.Decode())], [.. g.Select(s => $"{s.Stream}#{s.Sequence}")]))];
        var heldOut = new ValidationSet([.. snapshot.HeldOut.Select(s => s.Decode())], [.. snapshot.HeldOut.Select(s => $"{s.Stream}#{s.Sequence}")]);
        var batches = new FairBatches(streams, seed);
        cancellationToken.ThrowIfCancellationRequested();

        ValidationResult before;
        using (NativeModel current = NativeModel.Load(currentWeights, options.Device))
        {
            before = heldOut.Measure(current);
        }
        log(string.Create(CultureInfo.InvariantCulture,
            $"current model on {heldOut.Count} held-out samples: {before.MeanPsnr:F2} dB, {before.CodesUsed} codes used, perplexity {before.Perplexity:F0}"));
        cancellationToken.ThrowIfCancellationRequested();

        using NativeModel candidate = NativeModel.Load(currentWeights, options.Device);
        KMeansResult kmeans = RefitCodebook(candidate, batches, options, seed, log);
        cancellationToken.ThrowIfCancellationRequested();
        ValidationResult refitted = heldOut.Measure(candidate);
        log(string.Create(CultureInfo.InvariantCulture,
            $"after the codebook refit, before fine-tuning: {refitted.MeanPsnr:F2} dB, {refitted.CodesUsed} codes used"));

        StepResult? last = FineTune(candidate, batches, options, seed, log, cancellationToken);
        ValidationResult after = heldOut.Measure(candidate);
        log(string.Create(CultureInfo.InvariantCulture,
            $"candidate on the held-out samples: {after.MeanPsnr:F2} dB, {after.CodesUsed} codes used, perplexity {after.Perplexity:F0}"));
        return new RefreshOutcome(candidate.Save(), before, refitted, after, kmeans, options.FineTuneSteps, last, streams.Sum(s => s.Count), heldOut.Count, clock.Elapsed);
    }

    /// <summary>
    /// Trains the learned context prior of <paramref name="weights"/> (what its stream frames are entropy-coded with)
    /// on the index maps of <paramref name="samples"/> encoded by that model: key-frame statistics only, since the
    /// reservoir's samples are single frames, not consecutive ones. Deterministic: the same weights and samples give
    /// the same bytes.
    /// </summary>
    /// <returns>The <c>prior.bin</c> bytes.</returns>
    public static byte[] TrainPrior(byte[] weights, IReadOnlyList<ReservoirSample> samples, string device, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(samples);
        using NativeModel model = NativeModel.Load(weights, device);
        var maps = new List<IndexMap>(samples.Count);
        foreach (ReservoirSample sample in samples)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RgbImage image = sample.Decode().PadToMultiple(ModelConfig.Downsample);
            int width = image.Width / ModelConfig.Downsample, height = image.Height / ModelConfig.Downsample;
            var indices = new ushort[width * height];
            model.Encode(image.Pixels, 1, image.Height, image.Width, indices);
            maps.Add(new IndexMap(indices, width, height));
        }
        cancellationToken.ThrowIfCancellationRequested();
        ContextPrior prior = PriorTrainer.Train(model.Config.CodebookSize, VqfFormat.ComputeFingerprint(weights), maps, []);
        return PriorFile.Write(prior);
    }

    private static KMeansResult RefitCodebook(NativeModel model, FairBatches batches, TrainerOptions options, ulong seed, Action<string> log)
    {
        int dim = model.Config.EmbeddingDim, k = model.Config.CodebookSize, crop = options.Crop, batch = options.Batch;
        int perCrop = crop / ModelConfig.Downsample * (crop / ModelConfig.Downsample);
        int crops = Math.Max(options.KMeansCrops, ((4 * k) + perCrop - 1) / perCrop); // at least four outputs per code
        var latents = new float[(long)crops * perCrop * dim];
        byte[] pixels = new byte[batch * crop * crop * 3];
        for (int done = 0, chunk = 0; done < crops; done += batch, chunk++)
        {
            int count = Math.Min(batch, crops - done);
            // Negative steps: never the crops the fine-tune trains on.
            batches.Fill(-1 - chunk, count, crop, pixels.AsSpan(0, count * crop * crop * 3));
            model.EncodeLatents(pixels.AsSpan(0, count * crop * crop * 3), count, crop, crop,
                latents.AsSpan(done * perCrop * dim, count * perCrop * dim));
        }
        double meanSquare = 0;
        foreach (float v in latents)
        {
            meanSquare += (double)v * v;
        }
        float scale = (float)Math.Sqrt(meanSquare / (latents.Length / dim));
        float[] codebook = model.GetCodebook();
        float[] centres = new float[codebook.Length];
        var clock = Stopwatch.StartNew();
        KMeansResult result = NativeRuntime.KMeans(latents, dim, k, codebook, options.KMeansIterations, 1e-3f * scale, seed, centres, options.Device);
        model.SetCodebook(centres);
        log(string.Create(CultureInfo.InvariantCulture,
            $"k-means refresh from the current codebook: {latents.Length / dim} encoder outputs, {result.Iterations} iterations, {result.EmptyClusters} dead codes re-seeded, inertia {result.Inertia:G4}, {clock.Elapsed.TotalSeconds:F1} s"));
        return result;
    }

    private static StepResult? FineTune(NativeModel model, FairBatches batches, TrainerOptions options, ulong seed, Action<string> log, CancellationToken cancellationToken)
    {
        if (options.FineTuneSteps == 0)
        {
            return null;
        }
        int batch = options.Batch, crop = options.Crop;
        using NativeTrainer trainer = NativeTrainer.Create(model, new TrainConfig
        {
            DataVariance = (float)Math.Max(batches.PixelVariance, 1e-4),
            TrainEncoder = options.TrainEncoder,
            TrainDecoder = true,
            TrainCodebook = false,
            DeadCodeThreshold = 0,
            Seed = seed,
        });
        var schedule = new LearningRateSchedule(options.LearningRate, Math.Max(1, options.FineTuneSteps / 10), options.FineTuneSteps, 0.1f);
        byte[] pixels = new byte[batch * crop * crop * 3];
        StepResult last = default;
        var clock = Stopwatch.StartNew();
        for (int step = 1; step <= options.FineTuneSteps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            batches.Fill(step, batch, crop, pixels);
            last = trainer.Step(pixels, batch, crop, crop, schedule.At(step));
            if (step % 50 == 0 || step == options.FineTuneSteps)
            {
                log(string.Create(CultureInfo.InvariantCulture,
                    $"fine-tune step {step}/{options.FineTuneSteps}: batch PSNR {10 * Math.Log10(1 / Math.Max(last.Mse, 1e-10)):F2} dB, {clock.Elapsed.TotalSeconds:F0} s"));
            }
        }
        return last;
    }

    /// <summary>Batches of crops drawn equally from the streams: each crop picks a stream uniformly, then a sample of it.</summary>
    private sealed class FairBatches(List<TrainingImages> streams, ulong seed)
    {
        public double PixelVariance { get; } = streams.Average(s => s.PixelVariance());

        public void Fill(long step, int count, int crop, Span<byte> pixels)
        {
            int bytesPerCrop = crop * crop * 3;
            var random = new StepRandom(seed ^ 0x5EED5EED5EED5EEDUL, step);
            int[] perStream = new int[streams.Count];
            for (int i = 0; i < count; i++)
            {
                perStream[random.Next(streams.Count)]++;
            }
            int offset = 0;
            for (int s = 0; s < streams.Count; s++)
            {
                if (perStream[s] > 0)
                {
                    streams[s].FillBatch(seed + (ulong)s, step, perStream[s], crop, pixels.Slice(offset * bytesPerCrop, perStream[s] * bytesPerCrop));
                    offset += perStream[s];
                }
            }
        }
    }
}

/// <summary>What one refresh computed.</summary>
/// <param name="CandidateWeights">The candidate's weights (Grid's format).</param>
/// <param name="Before">The current model on the held-out samples.</param>
/// <param name="Refitted">The candidate after the codebook refit, before fine-tuning, on the same samples.</param>
/// <param name="After">The candidate on the same samples.</param>
/// <param name="KMeans">The codebook refit: iterations, dead codes re-seeded, inertia.</param>
/// <param name="Steps">Fine-tuning steps run.</param>
/// <param name="LastStep">The last fine-tuning step's measurements; null without fine-tuning.</param>
/// <param name="TrainSamples">Training samples used.</param>
/// <param name="HeldOutSamples">Held-out samples evaluated.</param>
/// <param name="Elapsed">Time of the native work.</param>
public sealed record RefreshOutcome(
    byte[] CandidateWeights,
    ValidationResult Before,
    ValidationResult Refitted,
    ValidationResult After,
    KMeansResult KMeans,
    int Steps,
    StepResult? LastStep,
    int TrainSamples,
    int HeldOutSamples,
    TimeSpan Elapsed)
{
    /// <summary>Held-out PSNR gain of the candidate over the current model, dB.</summary>
    public double GainDb => After.MeanPsnr - Before.MeanPsnr;

    /// <summary>True when the candidate is not worse than the current model by more than <paramref name="marginDb"/>.</summary>
    public bool Accepted(double marginDb) => After.MeanPsnr >= Before.MeanPsnr - marginDb;
}
