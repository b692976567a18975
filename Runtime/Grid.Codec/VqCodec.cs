using Grid.Contracts;
using Grid.Contracts.Frames;
using Grid.Entropy;
using Grid.Imaging;
using Grid.Native;

namespace Grid.Codec;

/// <summary>
/// A loaded model version that turns images into VQF frames and back. At a quality level other than standard the
/// image is first resampled to the level's coded size (<see cref="FrameQualities"/>, <see cref="Resampler"/>) and
/// the decoded image resampled back to the frame's true size. Images of any size are padded to the model's 4-pixel
/// grid by edge replication and cropped back on decode; batches of equal padded size run as one native call. Not
/// thread-safe: one caller at a time (the codec grain serialises its batches).
/// </summary>
public sealed class VqCodec : IDisposable
{
    private readonly NativeModel _model;
    private readonly bool _ownsModel;

    private VqCodec(NativeModel model, uint version, uint fingerprint, ModelCard? card, bool ownsModel = true)
    {
        _model = model;
        _ownsModel = ownsModel;
        Version = version;
        Fingerprint = fingerprint;
        Card = card;
        BitsPerIndex = VqfFormat.BitsForCodebook(model.Config.CodebookSize);
    }

    public uint Version { get; }
    public uint Fingerprint { get; }
    public ModelCard? Card { get; }
    public ModelConfig Config => _model.Config;
    public int BitsPerIndex { get; }
    public NativeModel Model => _model;

    /// <summary>The model's learned context prior (<c>prior.bin</c>) for <see cref="FrameCoding.Learned"/> frames, if it has one.</summary>
    public ContextPrior? Prior { get; private set; }

    /// <summary>Loads a model directory (<see cref="ModelDirectory"/>), with its prior when the directory has one.</summary>
    public static VqCodec Load(string directory, string device = "cpu")
    {
        (ModelCard card, byte[] weights) = ModelDirectory.Read(directory);
        VqCodec codec = FromWeights(weights, card.Version, device, card);
        try
        {
            codec.Prior = ModelDirectory.ReadPrior(directory, codec.Fingerprint);
        }
        catch
        {
            codec.Dispose();
            throw;
        }

        return codec;
    }

    /// <summary>Uses <paramref name="prior"/> (trained for this model) for learned coding from now on.</summary>
    public void UsePrior(ContextPrior prior)
    {
        ArgumentNullException.ThrowIfNull(prior);
        if (prior.ModelFingerprint != Fingerprint || prior.CodebookSize != Config.CodebookSize)
        {
            throw new ModelMismatchException(
                $"the prior was trained for model {VqfFormat.FormatFingerprint(prior.ModelFingerprint)} (K = {prior.CodebookSize}); this model is {VqfFormat.FormatFingerprint(Fingerprint)} (K = {Config.CodebookSize})");
        }

        Prior = prior;
    }

    /// <summary>Creates a codec over serialised weights of the given version.</summary>
    public static VqCodec FromWeights(ReadOnlySpan<byte> weights, uint version, string device = "cpu", ModelCard? card = null)
    {
        uint fingerprint = VqfFormat.ComputeFingerprint(weights);
        NativeModel model = NativeModel.Load(weights, device);
        return new VqCodec(model, version, fingerprint, card);
    }

    /// <summary>
    /// Wraps a model in memory (training, validation) without taking ownership: disposing the codec leaves the
    /// model alive. The fingerprint is that of the model's weights now.
    /// </summary>
    public static VqCodec Borrow(NativeModel model, uint version) =>
        new(model, version, VqfFormat.ComputeFingerprint(model.Save()), card: null, ownsModel: false);

    /// <summary>Encodes one image into a fixed-rate (version 1) VQF frame.</summary>
    public byte[] Encode(RgbImage image) => EncodeBatch([image], FrameCoding.Fixed)[0];

    /// <summary>Encodes one image into a VQF frame: version 1 (fixed rate) or a version 2 key frame.</summary>
    public byte[] Encode(RgbImage image, FrameCoding coding) => EncodeBatch([image], coding)[0];

    /// <summary>Encodes one image at a quality level into a VQF frame: version 1 (fixed rate) or a version 2 key frame.</summary>
    public byte[] Encode(RgbImage image, FrameCoding coding, FrameQuality quality) => EncodeBatch([image], coding, [quality])[0];

    /// <summary>Encodes images into fixed-rate frames, running images of equal padded size as one native batch.</summary>
    public byte[][] EncodeBatch(IReadOnlyList<RgbImage> images) => EncodeBatch(images, FrameCoding.Fixed);

    /// <summary>Encodes images into frames, running images of equal padded (coded) size as one native batch.</summary>
    /// <param name="images">The images.</param>
    /// <param name="coding">How to code the indices.</param>
    /// <param name="qualities">Each image's quality level; null: all <see cref="FrameQuality.Standard"/>.</param>
    /// <exception cref="FileNotFoundException">Learned coding was asked for and the model has no prior.</exception>
    /// <exception cref="CodecException">An image's coded size does not fit a frame.</exception>
    public byte[][] EncodeBatch(IReadOnlyList<RgbImage> images, FrameCoding coding, IReadOnlyList<FrameQuality>? qualities = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (qualities is not null && qualities.Count != images.Count)
        {
            throw new ArgumentException($"{qualities.Count} quality levels for {images.Count} images", nameof(qualities));
        }

        if (coding == FrameCoding.Learned && Prior is null)
        {
            throw new FileNotFoundException(
                $"model v{Version} ({VqfFormat.FormatFingerprint(Fingerprint)}) has no {PriorFile.FileName}: train one with `grid train-prior`, or use fixed or baseline coding");
        }

        var infos = new FrameInfo[images.Count];
        var coded = new RgbImage[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            RgbImage image = images[i];
            infos[i] = new FrameInfo(Version, Fingerprint, image.Width, image.Height, BitsPerIndex, qualities?[i] ?? FrameQuality.Standard);
            coded[i] = ToCodedSize(image, infos[i]);
        }

        var frames = new byte[images.Count][];
        foreach (IGrouping<(int W, int H), int> group in GroupBySize(coded))
        {
            (int width, int height) = group.Key;
            int[] members = [.. group];
            ushort[] indices = EncodeIndices(members.Select(i => coded[i]).ToArray(), width, height);
            int perImage = width / ModelConfig.Downsample * (height / ModelConfig.Downsample);
            for (int m = 0; m < members.Length; m++)
            {
                frames[members[m]] = EntropyFrames.Encode(infos[members[m]], indices.AsSpan(m * perImage, perImage), coding, Prior);
            }
        }
        return frames;
    }

    /// <summary>The image the model codes for a frame of <paramref name="info"/>: the image itself at standard quality.</summary>
    private static RgbImage ToCodedSize(RgbImage image, FrameInfo info)
    {
        if (info.Quality == FrameQuality.Standard)
        {
            return image;
        }

        if (info.CodedWidth > VqfFormat.MaxSide || info.CodedHeight > VqfFormat.MaxSide)
        {
            throw new CodecException(ErrorCodes.ImageTooLarge,
                $"a {image.Width}x{image.Height} image at quality {FrameQualities.Name(info.Quality)} is coded at {info.CodedWidth}x{info.CodedHeight}, above the {VqfFormat.MaxSide} pixels per side a frame holds");
        }

        return Resampler.Resize(image, info.CodedWidth, info.CodedHeight);
    }

    /// <summary>
    /// Decodes one self-contained frame of either version; refuses frames of another model version, fingerprint or
    /// prior, and inter frames (they need the reference frame's indices).
    /// </summary>
    public RgbImage Decode(ReadOnlySpan<byte> frame) => Decode(frame, default);

    /// <summary>Decodes one frame of either version, an inter frame against the reference frame's indices.</summary>
    public RgbImage Decode(ReadOnlySpan<byte> frame, ReadOnlySpan<ushort> previous)
    {
        ushort[] indices = ReadIndices(frame, previous, out FrameInfo info);
        return DecodeIndices([(info, indices)])[0];
    }

    /// <summary>The indices of a frame of either version, after checking it belongs to this model.</summary>
    public ushort[] ReadIndices(ReadOnlySpan<byte> frame, ReadOnlySpan<ushort> previous, out FrameInfo info)
    {
        (FrameInfo header, _) = EntropyFrames.ReadHeader(frame);
        CheckCompatible(header);
        try
        {
            return EntropyFrames.Decode(frame, Prior, previous, out info);
        }
        catch (PriorMismatchException ex)
        {
            throw new ModelMismatchException(ex.Message);
        }
    }

    /// <summary>Decodes frames, running frames of equal size as one native batch.</summary>
    public RgbImage[] DecodeBatch(IReadOnlyList<byte[]> frames)
    {
        var parsed = new (FrameInfo Info, ushort[] Indices)[frames.Count];
        for (int i = 0; i < frames.Count; i++)
        {
            parsed[i].Indices = ReadIndices(frames[i], default, out parsed[i].Info);
        }
        return DecodeIndices(parsed);
    }

    /// <summary>Throws unless <paramref name="info"/> names this model and fits its codebook.</summary>
    public void CheckCompatible(FrameInfo info)
    {
        if (info.ModelVersion != Version)
        {
            throw new ModelMismatchException(
                $"frame was encoded by model version {info.ModelVersion} ({VqfFormat.FormatFingerprint(info.ModelFingerprint)}); " +
                $"this model is version {Version} ({VqfFormat.FormatFingerprint(Fingerprint)})");
        }
        if (info.ModelFingerprint != Fingerprint)
        {
            throw new ModelMismatchException(
                $"frame names model version {info.ModelVersion} with fingerprint {VqfFormat.FormatFingerprint(info.ModelFingerprint)}, " +
                $"but the loaded version {Version} has fingerprint {VqfFormat.FormatFingerprint(Fingerprint)}: a different model with the same version number");
        }
        if (info.BitsPerIndex != BitsPerIndex)
        {
            throw new ModelMismatchException(
                $"frame uses {info.BitsPerIndex} bits per index; this model's codebook of {Config.CodebookSize} needs {BitsPerIndex}");
        }
    }

    private ushort[] EncodeIndices(RgbImage[] images, int paddedWidth, int paddedHeight)
    {
        int perImage = paddedWidth / ModelConfig.Downsample * (paddedHeight / ModelConfig.Downsample);
        var indices = new ushort[images.Length * perImage];
        if (images.Length == 1 && images[0].Width == paddedWidth && images[0].Height == paddedHeight)
        {
            _model.Encode(images[0].Pixels, 1, paddedHeight, paddedWidth, indices);
            return indices;
        }
        int bytesPerImage = paddedWidth * paddedHeight * 3;
        byte[] batch = new byte[images.Length * bytesPerImage];
        for (int i = 0; i < images.Length; i++)
        {
            images[i].PadTo(paddedWidth, paddedHeight).CopyTo(batch.AsSpan(i * bytesPerImage, bytesPerImage));
        }
        _model.Encode(batch, images.Length, paddedHeight, paddedWidth, indices);
        return indices;
    }

    private RgbImage[] DecodeIndices((FrameInfo Info, ushort[] Indices)[] frames)
    {
        int codebookSize = Config.CodebookSize;
        for (int i = 0; i < frames.Length; i++)
        {
            CheckCompatible(frames[i].Info);
            ushort[] indices = frames[i].Indices;
            for (int j = 0; j < indices.Length; j++)
            {
                if (indices[j] >= codebookSize)
                {
                    FrameInfo info = frames[i].Info;
                    throw new CodecException(ErrorCodes.IndexOutOfRange,
                        $"index {indices[j]} at latent row {j / info.LatentWidth}, column {j % info.LatentWidth} is not below the codebook size {codebookSize}");
                }
            }
        }
        var images = new RgbImage[frames.Length];
        foreach (IGrouping<(int W, int H), int> group in Enumerable.Range(0, frames.Length)
                     .GroupBy(i => (frames[i].Info.LatentWidth, frames[i].Info.LatentHeight)))
        {
            (int latentWidth, int latentHeight) = group.Key;
            int[] members = [.. group];
            int perImage = latentWidth * latentHeight;
            var indices = new ushort[members.Length * perImage];
            for (int m = 0; m < members.Length; m++)
            {
                frames[members[m]].Indices.CopyTo(indices, m * perImage);
            }
            int paddedWidth = latentWidth * ModelConfig.Downsample;
            int paddedHeight = latentHeight * ModelConfig.Downsample;
            int bytesPerImage = paddedWidth * paddedHeight * 3;
            byte[] pixels = new byte[members.Length * bytesPerImage];
            _model.Decode(indices, members.Length, latentHeight, latentWidth, pixels);
            for (int m = 0; m < members.Length; m++)
            {
                FrameInfo info = frames[members[m]].Info;
                var padded = members.Length == 1
                    ? new RgbImage(paddedWidth, paddedHeight, pixels)
                    : new RgbImage(paddedWidth, paddedHeight, pixels.AsSpan(m * bytesPerImage, bytesPerImage).ToArray());
                RgbImage decoded = info.CodedWidth == paddedWidth && info.CodedHeight == paddedHeight
                    ? padded
                    : padded.Crop(0, 0, info.CodedWidth, info.CodedHeight);
                images[members[m]] = info.Quality == FrameQuality.Standard
                    ? decoded
                    : Resampler.Resize(decoded, info.Width, info.Height);
            }
        }
        return images;
    }

    private static IEnumerable<IGrouping<(int W, int H), int>> GroupBySize(RgbImage[] images) =>
        Enumerable.Range(0, images.Length).GroupBy(i => (Align(images[i].Width), Align(images[i].Height)));

    private static int Align(int side) => (side + ModelConfig.Downsample - 1) / ModelConfig.Downsample * ModelConfig.Downsample;

    public void Dispose()
    {
        if (_ownsModel)
        {
            _model.Dispose();
        }
    }
}
