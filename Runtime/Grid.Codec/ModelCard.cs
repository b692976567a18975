using System.Text.Json;
using System.Text.Json.Serialization;
using Grid.Native;

namespace Grid.Codec;

/// <summary>
/// What a model directory says about its weights: identity (version, fingerprint, parent), architecture,
/// how it was trained and how it scored on held-out data. Stored as <c>card.json</c> beside the weights.
/// </summary>
public sealed record ModelCard
{
    /// <summary>Card schema identifier; readers refuse other schemas.</summary>
    public const string Schema = "grid-model-card/1";

    public string Format { get; init; } = Schema;

    /// <summary>Model version written into every frame this model encodes.</summary>
    public required uint Version { get; init; }

    /// <summary>Fingerprint of the weights file (see <see cref="Grid.Contracts.Frames.VqfFormat.ComputeFingerprint(System.ReadOnlySpan{byte})"/>), eight hex digits.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>Version this model was refined from, if any.</summary>
    public uint? Parent { get; init; }

    public required DateTimeOffset Created { get; init; }

    public required ModelConfig Config { get; init; }

    public long Parameters { get; init; }

    public TrainingRecord? Training { get; init; }

    public EvaluationRecord? Validation { get; init; }

    /// <summary>Set on versions made by a codebook refresh of <see cref="Parent"/> (the training grain).</summary>
    public RefreshRecord? Refresh { get; init; }

    internal static readonly JsonSerializerOptions s_json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, s_json);

    public static ModelCard FromJson(string json, string source)
    {
        ModelCard? card;
        try
        {
            card = JsonSerializer.Deserialize<ModelCard>(json, s_json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not a valid model card: {e.Message}", e);
        }
        if (card is null)
        {
            throw new InvalidDataException($"{source}: empty model card");
        }
        if (card.Format != Schema)
        {
            throw new InvalidDataException($"{source}: model card format '{card.Format}' is not '{Schema}'");
        }
        return card;
    }
}

/// <summary>How a model was trained; enough to reproduce it.</summary>
public sealed record TrainingRecord
{
    public string? Command { get; init; }
    public required IReadOnlyList<string> Data { get; init; }
    public int TrainImages { get; init; }

    /// <summary>SHA-256 of the training images' sizes and pixels (16 hex digits): the data, wherever it lies.</summary>
    public string? DataFingerprint { get; init; }

    public long Steps { get; init; }
    public int Batch { get; init; }
    public int Crop { get; init; }
    public ulong Seed { get; init; }
    public float LearningRate { get; init; }
    public int WarmupSteps { get; init; }
    public float MinLearningRateFraction { get; init; }
    public float GradientClipNorm { get; init; }
    public CodebookMode CodebookMode { get; init; }
    public bool KMeansInit { get; init; }
    public float DeadCodeThreshold { get; init; }
    public float DataVariance { get; init; }

    /// <summary>Parts the run did not update (<c>grid train --freeze</c>); null when everything trained.</summary>
    public IReadOnlyList<ModelPart>? Frozen { get; init; }

    public double Seconds { get; init; }
    public double ImagesPerSecond { get; init; }
    public int Threads { get; init; }
    public string Device { get; init; } = "cpu";
    public string? ResumedFrom { get; init; }

    /// <summary>The model whose weights started the run (<c>grid train --init</c>); null when trained from scratch.</summary>
    public InitialModel? InitialisedFrom { get; init; }
}

/// <summary>A model a training run started from: where it was and which weights (fingerprint) it held.</summary>
public sealed record InitialModel(string Path, string Fingerprint, uint Version, long? Steps);

/// <summary>Scores on a held-out image set.</summary>
public sealed record EvaluationRecord
{
    public required string Data { get; init; }
    public int Images { get; init; }
    public double MeanPsnr { get; init; }
    public double MeanBpp { get; init; }
    public int CodesUsed { get; init; }
    public double Perplexity { get; init; }
    public double TopCodeShare { get; init; }
    public double? MeanJpegPsnr { get; init; }
}
