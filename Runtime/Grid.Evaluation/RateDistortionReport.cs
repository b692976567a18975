using System.Globalization;
using Grid.Contracts.Frames;
using Grid.Codec;
using Grid.Imaging;

namespace Grid.Evaluation;

/// <summary>
/// A static HTML rate-distortion report: Grid against JPEG and WebP at equal rate, per image and on average, with
/// side-by-side centre crops of each reconstruction. Writes <c>DIR/index.html</c> and <c>DIR/crops/*.png</c>;
/// the page uses relative links, inline CSS and no external resources, so the directory can be copied anywhere.
/// </summary>
public static class RateDistortionReport
{
    /// <summary>The report's page inside its directory.</summary>
    public const string IndexFile = "index.html";

    /// <summary>The folder of crop images inside the report directory.</summary>
    public const string CropFolder = "crops";

    /// <summary>Side of the centre crops; smaller images are shown whole.</summary>
    public const int CropSide = 256;

    /// <summary>
    /// Evaluates every file (Grid, JPEG and WebP at Grid's bytes), writes the report into
    /// <paramref name="directory"/> (created if needed; earlier files of the same names are replaced) and returns
    /// the evaluation.
    /// </summary>
    /// <exception cref="WebpException">cwebp or dwebp is missing or fails.</exception>
    /// <exception cref="IOException">The report cannot be written.</exception>
    public static EvaluationReport Write(
        string directory, VqCodec codec, IReadOnlyList<string> files, ReportProvenance provenance,
        WebpTools? webpTools = null, Action<int, ImageEvaluation>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentNullException.ThrowIfNull(provenance);
        string crops = Path.Combine(directory, CropFolder);
        Directory.CreateDirectory(crops);

        var cropList = new List<ReportCrop>(files.Count);
        var options = new EvaluationOptions { Jpeg = true, Webp = true, WebpTools = webpTools ?? WebpTools.Default };
        EvaluationReport report = Evaluator.Evaluate(codec, files, options, progress, (row, pictures) =>
            cropList.Add(WriteCrops(crops, cropList.Count + 1, pictures)));

        var model = new ReportModel(codec.Version, VqfFormat.FormatFingerprint(codec.Fingerprint), DescribeModel(codec));
        string html = ReportHtml.Render(report, cropList, model, provenance);
        File.WriteAllText(Path.Combine(directory, IndexFile), html);
        return report;
    }

    /// <summary>The crop rectangle for an image: <see cref="CropSide"/> square at the centre, or the whole side when shorter.</summary>
    public static (int X, int Y, int Width, int Height) CropFor(int width, int height)
    {
        int cropWidth = Math.Min(CropSide, width);
        int cropHeight = Math.Min(CropSide, height);
        return ((width - cropWidth) / 2, (height - cropHeight) / 2, cropWidth, cropHeight);
    }

    /// <summary>Architecture and training in one line, from the config and the card.</summary>
    private static string DescribeModel(VqCodec codec)
    {
        var text = new System.Text.StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"K = {codec.Config.CodebookSize} codes ({codec.BitsPerIndex} bits per 4x4 block), {codec.Config.HiddenChannels} hidden channels, embedding dim {codec.Config.EmbeddingDim}");
        if (codec.Card is { } card)
        {
            text.Append(CultureInfo.InvariantCulture, $", {card.Parameters:N0} parameters");
            text.Append(card.Training is { } training
                ? string.Create(CultureInfo.InvariantCulture, $", trained {training.Steps:N0} steps (batch {training.Batch}, crop {training.Crop})")
                : ", untrained (random initialisation)");
        }
        return text.ToString();
    }

    private static ReportCrop WriteCrops(string folder, int index, ImageReconstructions pictures)
    {
        (int x, int y, int width, int height) = CropFor(pictures.Original.Width, pictures.Original.Height);
        string Save(string kind, RgbImage image)
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"{index:D3}-{kind}.png");
            ImageFile.Write(Path.Combine(folder, name), image.Crop(x, y, width, height));
            return $"{CropFolder}/{name}";
        }
        return new ReportCrop(
            x, y, width, height,
            Save("original", pictures.Original),
            Save("grid", pictures.Grid),
            Save("jpeg", pictures.Jpeg!),
            Save("webp", pictures.Webp!));
    }
}

/// <summary>The model facts a report header shows.</summary>
internal sealed record ReportModel(uint Version, string Fingerprint, string Description);
