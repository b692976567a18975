using System.Buffers.Binary;
using System.Security.Cryptography;
using Grid.Evaluation;
using Grid.Imaging;

namespace Grid.Training;

/// <summary>
/// Decoded training images held in memory, from which batches of random crops (with random horizontal flips) are cut.
/// An image is chosen with probability proportional to its area, so every pixel of the data set is equally likely to
/// be seen; images smaller than the crop are edge-padded. A batch is a pure function of (seed, step).
/// </summary>
public sealed class TrainingImages
{
    private readonly RgbImage[] _images;
    private readonly long[] _cumulativeArea;

    public TrainingImages(IReadOnlyList<RgbImage> images, IReadOnlyList<string> names)
    {
        if (images.Count == 0)
        {
            throw new ArgumentException("no training images", nameof(images));
        }
        _images = [.. images];
        Names = names;
        _cumulativeArea = new long[_images.Length];
        long total = 0;
        for (int i = 0; i < _images.Length; i++)
        {
            total += (long)_images[i].Width * _images[i].Height;
            _cumulativeArea[i] = total;
        }
    }

    public int Count => _images.Length;
    public IReadOnlyList<string> Names { get; }
    public long TotalPixels => _cumulativeArea[^1];

    /// <summary>
    /// 16 hex digits of SHA-256 over every image's size and pixels, in order: what the batches of a run depend on (with
    /// the seed), and not where the files lie, so a checkpoint can tell whether resuming on these images would continue
    /// it.
    /// </summary>
    public string Fingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> size = stackalloc byte[8];
        foreach (RgbImage image in _images)
        {
            BinaryPrimitives.WriteInt32LittleEndian(size, image.Width);
            BinaryPrimitives.WriteInt32LittleEndian(size[4..], image.Height);
            hash.AppendData(size);
            hash.AppendData(image.Pixels);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset(), 0, 8);
    }

    /// <summary>Reads every image file directly inside the given directories.</summary>
    public static TrainingImages Load(IEnumerable<string> directories, Action<int, int>? progress = null)
    {
        string[] files = directories.SelectMany(Evaluator.ImageFiles).ToArray();
        var images = new RgbImage[files.Length];
        int done = 0;
        Parallel.For(0, files.Length, i =>
        {
            images[i] = ImageFile.Read(files[i]);
            progress?.Invoke(Interlocked.Increment(ref done), files.Length);
        });
        return new TrainingImages(images, files);
    }

    /// <summary>
    /// Variance of the data in model units (pixel / 255), the divisor of the reconstruction loss (as in the
    /// VQ-VAE paper's code).
    /// </summary>
    public double PixelVariance()
    {
        double sum = 0, sumSquares = 0;
        long n = 0;
        foreach (RgbImage image in _images)
        {
            foreach (byte b in image.Pixels)
            {
                double x = b / 255.0;
                sum += x;
                sumSquares += x * x;
            }
            n += image.Pixels.Length;
        }
        double mean = sum / n;
        return (sumSquares / n) - (mean * mean);
    }

    /// <summary>Fills <paramref name="batch"/> (count x crop x crop x 3) with the crops of batch number <paramref name="step"/>.</summary>
    public void FillBatch(ulong seed, long step, int count, int crop, Span<byte> batch)
    {
        int bytesPerCrop = crop * crop * 3;
        if (batch.Length != count * bytesPerCrop)
        {
            throw new ArgumentException($"batch buffer holds {batch.Length} bytes, need {count * bytesPerCrop}", nameof(batch));
        }
        var random = new StepRandom(seed, step);
        for (int i = 0; i < count; i++)
        {
            long pixel = random.NextInt64(TotalPixels);
            int index = Array.BinarySearch(_cumulativeArea, pixel + 1);
            RgbImage image = _images[index < 0 ? ~index : index];
            int x = image.Width > crop ? random.Next(image.Width - crop + 1) : 0;
            int y = image.Height > crop ? random.Next(image.Height - crop + 1) : 0;
            bool flip = random.NextBool();
            CopyCrop(image, x, y, crop, flip, batch.Slice(i * bytesPerCrop, bytesPerCrop));
        }
    }

    private static void CopyCrop(RgbImage image, int x0, int y0, int crop, bool flip, Span<byte> destination)
    {
        ReadOnlySpan<byte> pixels = image.Pixels;
        int stride = image.Width * 3;
        for (int y = 0; y < crop; y++)
        {
            int sourceY = Math.Min(y0 + y, image.Height - 1);
            ReadOnlySpan<byte> sourceRow = pixels.Slice(sourceY * stride, stride);
            Span<byte> row = destination.Slice(y * crop * 3, crop * 3);
            if (!flip && x0 + crop <= image.Width)
            {
                sourceRow.Slice(x0 * 3, crop * 3).CopyTo(row);
                continue;
            }
            for (int x = 0; x < crop; x++)
            {
                int sourceX = Math.Min(x0 + (flip ? crop - 1 - x : x), image.Width - 1);
                sourceRow.Slice(sourceX * 3, 3).CopyTo(row.Slice(x * 3, 3));
            }
        }
    }
}
