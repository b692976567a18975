using System.Text.Json;
using Grid.Codec;
using Grid.Native;

namespace Grid.Training;

/// <summary>
/// A resumable point of a run: weights, the trainer's full state (Adam moments, EMA state, generator) and the
/// run's position. Batches depend only on (seed, step), so resuming continues bit-identically.
/// </summary>
public sealed record Checkpoint
{
    public const string FileName = "checkpoint.json";
    public const string StateFile = "trainer.state";

    public required long Step { get; init; }
    public required long TotalSteps { get; init; }
    public required double ElapsedSeconds { get; init; }
    public required double DataVariance { get; init; }
    public required int Batch { get; init; }
    public required int Crop { get; init; }
    public required ulong Seed { get; init; }
    public required float LearningRate { get; init; }
    public required int WarmupSteps { get; init; }
    public required float MinLearningRateFraction { get; init; }
    public required ModelConfig Model { get; init; }
    public required CodebookMode CodebookMode { get; init; }
    public required float DeadCodeThreshold { get; init; }
    public required float GradientClipNorm { get; init; }
    public required bool KMeansInit { get; init; }

    /// <summary>
    /// <see cref="TrainingImages.Fingerprint"/> of the run's training images and their count; null in checkpoints
    /// written before they were recorded, which resume unchecked.
    /// </summary>
    public string? DataFingerprint { get; init; }

    public int? TrainImages { get; init; }

    /// <summary>Parts the run does not update (<c>--freeze</c>); null (nothing frozen) in older checkpoints.</summary>
    public IReadOnlyList<ModelPart>? Frozen { get; init; }

    /// <summary>The model the run started from (<c>--init</c>), carried to the card when a resumed run ends.</summary>
    public InitialModel? InitialisedFrom { get; init; }

    public static string DirectoryFor(string outputDirectory, long step) =>
        Path.Combine(outputDirectory, "checkpoints", $"step-{step:D8}");

    /// <summary>The newest complete checkpoint under <paramref name="outputDirectory"/>, or null.</summary>
    public static string? Latest(string outputDirectory)
    {
        string root = Path.Combine(outputDirectory, "checkpoints");
        if (!Directory.Exists(root))
        {
            return null;
        }
        return Directory.EnumerateDirectories(root, "step-*")
            .Where(d => File.Exists(Path.Combine(d, FileName)))
            .Order(StringComparer.Ordinal)
            .LastOrDefault();
    }

    public void Save(string directory, NativeModel model, NativeTrainer trainer, int keep = 2)
    {
        string temporary = directory + ".partial";
        if (Directory.Exists(temporary))
        {
            Directory.Delete(temporary, recursive: true);
        }
        Directory.CreateDirectory(temporary);
        File.WriteAllBytes(Path.Combine(temporary, ModelDirectory.WeightsFile), model.Save());
        File.WriteAllBytes(Path.Combine(temporary, StateFile), trainer.SaveState());
        File.WriteAllText(Path.Combine(temporary, FileName), JsonSerializer.Serialize(this, ModelCard.s_json));
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
        Directory.Move(temporary, directory);

        // Keep the newest few; a run interrupted while writing leaves only a ".partial" that Latest ignores.
        string root = Path.GetDirectoryName(directory)!;
        foreach (string old in Directory.EnumerateDirectories(root, "step-*").Where(d => !d.EndsWith(".partial", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal).SkipLast(keep))
        {
            Directory.Delete(old, recursive: true);
        }
    }

    public static Checkpoint Read(string directory)
    {
        string path = Path.Combine(directory, FileName);
        return JsonSerializer.Deserialize<Checkpoint>(File.ReadAllText(path), ModelCard.s_json)
            ?? throw new InvalidDataException($"{path}: empty checkpoint");
    }
}
