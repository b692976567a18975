using Grid.Contracts.Frames;
using Grid.Native;

namespace Grid.Codec;

/// <summary>
/// A model on disk: <c>weights.gridw</c> (native weights format, docs/weights-format.md) and <c>card.json</c>.
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
