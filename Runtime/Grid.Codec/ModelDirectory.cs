using Grid.Contracts.Frames;
using Grid.Entropy;
using Grid.Native;

namespace Grid.Codec;

/// <summary>
/// A model on disk: <c>weights.gridw</c> (native weights format, docs/weights-format.md) and <c>card.json</c>,
/// optionally <c>prior.bin</c> (the learned context prior for entropy-coded frames, docs/entropy-coding.md).
/// Loading checks that the card's fingerprint matches the weights, so a card never describes other weights.
/// </summary>
public static class ModelDirectory
{
    public const string WeightsFile = "weights.gridw";
    public const string CardFile = "card.json";

    /// <summary>Reads the card and weights bytes without creating a native model.</summary>
    public static (ModelCard Card, byte[] Weights) Read(string directory)
    {
        string cardPath = Path.Combine(directory, CardFile);
        string weightsPath = Path.Combine(directory, WeightsFile);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"model directory '{directory}' does not exist");
        }
        if (!File.Exists(cardPath) || !File.Exists(weightsPath))
        {
            throw new FileNotFoundException(
                $"'{directory}' is not a model directory: it needs {CardFile} and {WeightsFile} (train one with `grid train`)");
        }
        ModelCard card = ModelCard.FromJson(File.ReadAllText(cardPath), cardPath);
        byte[] weights = File.ReadAllBytes(weightsPath);
        string actual = VqfFormat.FormatFingerprint(VqfFormat.ComputeFingerprint(weights));
        if (!string.Equals(actual, card.Fingerprint, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException(
                $"{weightsPath} has fingerprint {actual} but {CardFile} says {card.Fingerprint}: the files do not belong together");
        }
        return (card, weights);
    }

    /// <summary>
    /// Reads the directory's <c>prior.bin</c> if it has one (null if not), checking it was trained for the model
    /// with <paramref name="modelFingerprint"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The prior is damaged or belongs to another model.</exception>
    public static ContextPrior? ReadPrior(string directory, uint modelFingerprint)
    {
        string path = Path.Combine(directory, PriorFile.FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        ContextPrior prior;
        try
        {
            prior = PriorFile.Read(path);
        }
        catch (PriorFormatException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}", ex);
        }

        if (prior.ModelFingerprint != modelFingerprint)
        {
            throw new InvalidDataException(
                $"{path} was trained for model {VqfFormat.FormatFingerprint(prior.ModelFingerprint)}, the weights beside it are {VqfFormat.FormatFingerprint(modelFingerprint)}: retrain it with `grid train-prior`");
        }

        return prior;
    }

    /// <summary>Writes weights and card atomically (temporary files, then rename), creating the directory.</summary>
    public static void Write(string directory, ModelCard card, ReadOnlySpan<byte> weights)
    {
        string actual = VqfFormat.FormatFingerprint(VqfFormat.ComputeFingerprint(weights));
        if (!string.Equals(actual, card.Fingerprint, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"card fingerprint {card.Fingerprint} does not match the weights ({actual})", nameof(card));
        }
        Directory.CreateDirectory(directory);
        AtomicFile.Write(Path.Combine(directory, WeightsFile), weights);
        AtomicFile.Write(Path.Combine(directory, CardFile), System.Text.Encoding.UTF8.GetBytes(card.ToJson() + "\n"));
    }

    /// <summary>Creates a card for weights just produced by <paramref name="model"/>.</summary>
    public static ModelCard CardFor(NativeModel model, ReadOnlySpan<byte> weights, uint version, uint? parent = null) => new()
    {
        Version = version,
        Fingerprint = VqfFormat.FormatFingerprint(VqfFormat.ComputeFingerprint(weights)),
        Parent = parent,
        Created = DateTimeOffset.UtcNow,
        Config = model.Config,
        Parameters = model.ParameterCount,
    };
}
