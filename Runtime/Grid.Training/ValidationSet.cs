using Grid.Contracts.Frames;
using Grid.Codec;
using Grid.Evaluation;
using Grid.Imaging;
using Grid.Native;

namespace Grid.Training;

/// <summary>Scores of a model on the held-out images: whole images, PSNR after rounding, usage over the pass.</summary>
public sealed record ValidationResult(double MeanPsnr, double MeanBpp, int CodesUsed, double Perplexity, double TopCodeShare);

/// <summary>Held-out images kept decoded in memory, measured through the real frame path (encode, pack, decode).</summary>
public sealed class ValidationSet
{
    private readonly RgbImage[] _images;

    public ValidationSet(IReadOnlyList<RgbImage> images, IReadOnlyList<string> names)
    {
        _images = [.. images];
        Names = names;
    }

    public int Count => _images.Length;
    public IReadOnlyList<string> Names { get; }

    public static ValidationSet Load(IEnumerable<string> directories)
    {
        string[] files = directories.SelectMany(Evaluator.ImageFiles).ToArray();
        return new ValidationSet(files.Select(f => ImageFile.Read(f)).ToArray(), files);
    }

    public ValidationResult Measure(NativeModel model)
    {
        if (_images.Length == 0)
        {
            throw new InvalidOperationException("the validation set is empty");
        }
        using VqCodec codec = VqCodec.Borrow(model, version: 0);
        var usage = new CodeUsage(model.Config.CodebookSize);
        double psnrSum = 0, bppSum = 0;
        foreach (RgbImage image in _images)
        {
            byte[] frame = codec.Encode(image);
            usage.Add(VqfReader.ReadIndices(frame, out _));
            psnrSum += ImageMetrics.Psnr(image, codec.Decode(frame));
            bppSum += ImageMetrics.BitsPerPixel(frame.Length, image.Width, image.Height);
        }
        return new ValidationResult(psnrSum / _images.Length, bppSum / _images.Length, usage.CodesUsed, usage.Perplexity, usage.TopCodeShare);
    }
}
