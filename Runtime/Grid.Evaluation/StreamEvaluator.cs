using System.Diagnostics;
using Grid.Codec;
using Grid.Contracts.Frames;
using Grid.Entropy;
using Grid.Imaging;

namespace Grid.Evaluation;

/// <summary>Bytes of one stream frame in each coding (whole frames, headers included).</summary>
public sealed record StreamFrameSizes(int Sequence, FrameKind Kind, int FixedBytes, int BaselineBytes, int LearnedBytes);

/// <summary>
/// A stream's frames coded three ways, side by side in one run: fixed rate (VQF v1), and VQF v2 with the baseline and
/// the learned model, each inter frame coded against the previous frame and a key frame every
/// <see cref="KeyInterval"/> frames; plus the seconds spent encoding (model + coding) and decoding (decoding +
/// model) each way, and proof that every coded frame decodes to the fixed-rate indices.
/// </summary>
public sealed record StreamEvaluation(
    IReadOnlyList<StreamFrameSizes> Frames, int Width, int Height, int KeyInterval,
    double FixedEncodeSeconds, double LearnedEncodeSeconds, double FixedDecodeSeconds, double LearnedDecodeSeconds)
{
    public long FixedBytes => Frames.Sum(f => (long)f.FixedBytes);
    public long BaselineBytes => Frames.Sum(f => (long)f.BaselineBytes);
    public long LearnedBytes => Frames.Sum(f => (long)f.LearnedBytes);
}

/// <summary>Runs <see cref="StreamEvaluation"/> over the frames of a video.</summary>
public static class StreamEvaluator
{
    /// <summary>Codes <paramref name="frames"/> as one stream.</summary>
    /// <param name="codec">The model (with its prior).</param>
    /// <param name="frames">Frames of one size, in order.</param>
    /// <param name="keyInterval">A key frame every this many frames (1: all key frames).</param>
    /// <param name="progress">Called after each frame with the count done.</param>
    /// <exception cref="FileNotFoundException">The model has no prior.</exception>
    public static StreamEvaluation Evaluate(VqCodec codec, IEnumerable<RgbImage> frames, int keyInterval, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(codec);
        ArgumentOutOfRangeException.ThrowIfLessThan(keyInterval, 1);
        ContextPrior prior = codec.Prior ?? throw new FileNotFoundException(
            $"model v{codec.Version} has no {PriorFile.FileName}: train one with `grid train-prior`");
        var sizes = new List<StreamFrameSizes>();
        var fixedEncode = new Stopwatch();
        var learnedEncode = new Stopwatch();
        var fixedDecode = new Stopwatch();
        var learnedDecode = new Stopwatch();
        // The stream grain's coder and the replay's decoder: the same decisions (key frames, references) as a stream.
        var learnedCoder = new StreamFrameCoder(keyInterval);
        var baselineCoder = new StreamFrameCoder(keyInterval);
        var learnedDecoder = new StreamFrameDecoder();
        var baselineDecoder = new StreamFrameDecoder();
        int width = 0;
        int height = 0;
        foreach (RgbImage image in frames)
        {
            int sequence = sizes.Count;
            (width, height) = (image.Width, image.Height);

            // Fixed rate: the codec's own path, image to v1 frame and back.
            fixedEncode.Start();
            byte[] fixedFrame = codec.Encode(image);
            fixedEncode.Stop();
            fixedDecode.Start();
            RgbImage fixedPixels = codec.Decode(fixedFrame);
            fixedDecode.Stop();

            // Learned: the same model call, then the indices range-coded against the previous frame.
            learnedEncode.Start();
            byte[] indicesFrame = codec.Encode(image);
            ushort[] indices = VqfReader.ReadIndices(indicesFrame, out FrameInfo info);
            CodedStreamFrame learned = learnedCoder.Code(info, indices, sequence, prior);
            learnedEncode.Stop();
            learnedCoder.Stored(learned, sequence);
            learnedDecode.Start();
            ushort[] decoded = learnedDecoder.Decode(sequence, learned.Frame, prior, out FrameInfo decodedInfo);
            RgbImage learnedPixels = codec.Decode(VqfWriter.Write(decodedInfo, decoded));
            learnedDecode.Stop();
            if (!decoded.AsSpan().SequenceEqual(indices) || !learnedPixels.Pixels.AsSpan().SequenceEqual(fixedPixels.Pixels))
            {
                throw new InvalidOperationException($"frame {sequence}: the learned frame did not decode to the fixed-rate indices");
            }

            CodedStreamFrame baseline = baselineCoder.Code(info, indices, sequence, prior: null);
            baselineCoder.Stored(baseline, sequence);
            if (!baselineDecoder.Decode(sequence, baseline.Frame, null, out _).AsSpan().SequenceEqual(indices))
            {
                throw new InvalidOperationException($"frame {sequence}: the baseline frame did not decode to the fixed-rate indices");
            }

            sizes.Add(new StreamFrameSizes(sequence, learned.Kind, fixedFrame.Length, baseline.Frame.Length, learned.Frame.Length));
            progress?.Invoke(sizes.Count);
        }

        return new StreamEvaluation(
            sizes, width, height, keyInterval,
            fixedEncode.Elapsed.TotalSeconds, learnedEncode.Elapsed.TotalSeconds, fixedDecode.Elapsed.TotalSeconds, learnedDecode.Elapsed.TotalSeconds);
    }
}
