namespace Grid.Native;

/// <summary>
/// A VQ-VAE codec model in libgrid_native.so on one device: pixels to 16-bit codebook indices and back, the
/// encoder's latents, the codebook, and Grid's weights bytes. Not thread-safe: one caller at a time per
/// instance (calls on different instances may run in parallel).
/// </summary>
public sealed class NativeModel : IDisposable
{
    private readonly ModelHandle _handle;
    private volatile bool _disposed;  // SafeHandle.IsClosed stays false while a trainer still holds the model

    private NativeModel(ModelHandle handle, string device)
    {
        _handle = handle;
        Device = device;
        NativeErrors.ThrowIfFailed(Interop.GridNative.ModelGetConfig(handle, out Interop.GridNative.GridModelConfig config));
        Config = ModelConfig.FromNative(config);
        NativeErrors.ThrowIfFailed(Interop.GridNative.ModelParameterCount(handle, out long parameters));
        ParameterCount = parameters;
    }

    /// <summary>The architecture.</summary>
    public ModelConfig Config { get; }

    /// <summary>Where the model runs: "cpu" or "cuda:N".</summary>
    public string Device { get; }

    /// <summary>Number of float32 weights (encoder, codebook, decoder).</summary>
    public long ParameterCount { get; }

    internal ModelHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _handle;
        }
    }

    /// <summary>A new model with weights drawn deterministically from <paramref name="seed"/>.</summary>
    /// <param name="config">The architecture; out-of-range values throw <see cref="NativeArgumentException"/>.</param>
    /// <param name="device">"cpu", "cuda" or "cuda:N"; unknown or unavailable devices throw <see cref="NativeDeviceException"/>.</param>
    /// <param name="seed">Seeds the weight initialisation (the same seed gives the same weights on any device).</param>
    public static NativeModel Create(ModelConfig config, string device = "cpu", ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrWhiteSpace(device);
        GridNativeLibrary.EnsureLoaded();
        Interop.GridNative.GridModelConfig native = config.ToNative();
        int status = Interop.GridNative.ModelCreate(in native, device, seed, out ModelHandle handle);
        return Wrap(NativeErrors.ThrowIfFailed(status, handle), device);
    }

    /// <summary>A model read from bytes written by <see cref="Save"/>.</summary>
    /// <param name="weights">Grid's weights format (docs/weights-format.md); malformed bytes throw <see cref="NativeDataException"/>.</param>
    /// <param name="device">"cpu", "cuda" or "cuda:N".</param>
    public static unsafe NativeModel Load(ReadOnlySpan<byte> weights, string device = "cpu")
    {
        if (weights.IsEmpty)
        {
            throw new ArgumentException("weights is empty.", nameof(weights));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(device);
        GridNativeLibrary.EnsureLoaded();
        fixed (byte* data = weights)
        {
            int status = Interop.GridNative.ModelLoad(data, weights.Length, device, out ModelHandle handle);
            return Wrap(NativeErrors.ThrowIfFailed(status, handle), device);
        }
    }

    /// <summary>The weights in Grid's format: the same weights give the same bytes on any device.</summary>
    public byte[] Save()
    {
        int status = Interop.GridNative.ModelSave(Handle, out BufferHandle buffer);
        using BufferHandle weights = NativeErrors.ThrowIfFailed(status, buffer);
        return weights.ToArray();
    }

    /// <summary>Encodes a batch of images into codebook indices.</summary>
    /// <param name="rgb">count x height x width x 3 bytes, interleaved RGB, row-major.</param>
    /// <param name="count">Number of images.</param>
    /// <param name="height">Image height, a positive multiple of <see cref="ModelConfig.Downsample"/>.</param>
    /// <param name="width">Image width, a positive multiple of <see cref="ModelConfig.Downsample"/>.</param>
    /// <param name="indices">Receives count x (height / 4) x (width / 4) indices, row-major.</param>
    public unsafe void Encode(ReadOnlySpan<byte> rgb, int count, int height, int width, Span<ushort> indices)
    {
        RequireImageBatch(rgb, count, height, width);
        BatchShape.RequireLength(
            indices.Length, nameof(indices), "count x (height / 4) x (width / 4)",
            count, height / ModelConfig.Downsample, width / ModelConfig.Downsample);
        fixed (byte* pixels = rgb)
        fixed (ushort* output = indices)
        {
            NativeErrors.ThrowIfFailed(Interop.GridNative.ModelEncode(Handle, pixels, count, height, width, output));
        }
    }

    /// <summary>Decodes codebook indices into images.</summary>
    /// <param name="indices">count x latentHeight x latentWidth indices, each below the codebook size (otherwise
    /// <see cref="NativeDataException"/> names the first offending position and nothing is decoded).</param>
    /// <param name="count">Number of images.</param>
    /// <param name="latentHeight">Index rows per image (image height / 4).</param>
    /// <param name="latentWidth">Index columns per image (image width / 4).</param>
    /// <param name="rgb">Receives count x (latentHeight x 4) x (latentWidth x 4) x 3 bytes.</param>
    public unsafe void Decode(ReadOnlySpan<ushort> indices, int count, int latentHeight, int latentWidth, Span<byte> rgb)
    {
        BatchShape.RequireLatents(count, latentHeight, latentWidth);
        BatchShape.RequireLength(
            indices.Length, nameof(indices), "count x latentHeight x latentWidth", count, latentHeight, latentWidth);
        BatchShape.RequireLength(
            rgb.Length, nameof(rgb), "count x (latentHeight x 4) x (latentWidth x 4) x 3",
            count, (long)latentHeight * ModelConfig.Downsample, (long)latentWidth * ModelConfig.Downsample, 3);
        fixed (ushort* input = indices)
        fixed (byte* pixels = rgb)
        {
            NativeErrors.ThrowIfFailed(
                Interop.GridNative.ModelDecode(Handle, input, count, latentHeight, latentWidth, pixels));
        }
    }

    /// <summary>The encoder's outputs before quantisation (for k-means codebook initialisation).</summary>
    /// <param name="rgb">count x height x width x 3 bytes.</param>
    /// <param name="count">Number of images.</param>
    /// <param name="height">Image height, a positive multiple of 4.</param>
    /// <param name="width">Image width, a positive multiple of 4.</param>
    /// <param name="latents">Receives count x (height / 4) x (width / 4) x EmbeddingDim floats.</param>
    public unsafe void EncodeLatents(ReadOnlySpan<byte> rgb, int count, int height, int width, Span<float> latents)
    {
        RequireImageBatch(rgb, count, height, width);
        BatchShape.RequireLength(
            latents.Length, nameof(latents), "count x (height / 4) x (width / 4) x EmbeddingDim",
            count, height / ModelConfig.Downsample, width / ModelConfig.Downsample, Config.EmbeddingDim);
        fixed (byte* pixels = rgb)
        fixed (float* output = latents)
        {
            NativeErrors.ThrowIfFailed(
                Interop.GridNative.ModelEncodeLatents(Handle, pixels, count, height, width, output));
        }
    }

    /// <summary>The codebook: CodebookSize x EmbeddingDim floats, row-major.</summary>
    public unsafe float[] GetCodebook()
    {
        float[] codebook = new float[Config.CodebookSize * Config.EmbeddingDim];
        fixed (float* output = codebook)
        {
            NativeErrors.ThrowIfFailed(Interop.GridNative.ModelGetCodebook(Handle, output, codebook.Length));
        }

        return codebook;
    }

    /// <summary>Replaces the codebook (CodebookSize x EmbeddingDim finite floats, row-major).</summary>
    public unsafe void SetCodebook(ReadOnlySpan<float> codebook)
    {
        BatchShape.RequireLength(
            codebook.Length, nameof(codebook), "CodebookSize x EmbeddingDim", Config.CodebookSize, Config.EmbeddingDim);
        fixed (float* input = codebook)
        {
            NativeErrors.ThrowIfFailed(Interop.GridNative.ModelSetCodebook(Handle, input, codebook.Length));
        }
    }

    /// <summary>Releases the native model (once a trainer using it is released too). Idempotent.</summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }

    private static NativeModel Wrap(ModelHandle handle, string device)
    {
        try
        {
            return new NativeModel(handle, CanonicalDevice(device));
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    // The native side accepts "cuda" as the first CUDA device; report it as such.
    private static string CanonicalDevice(string device) => device == "cuda" ? "cuda:0" : device;

    private static void RequireImageBatch(ReadOnlySpan<byte> rgb, int count, int height, int width)
    {
        BatchShape.RequireImages(count, height, width);
        BatchShape.RequireLength(rgb.Length, nameof(rgb), "count x height x width x 3", count, height, width, 3);
    }
}
