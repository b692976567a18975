namespace Grid.Native;

/// <summary>
/// Trains a <see cref="NativeModel"/> in place: Adam on encoder/decoder (and the codebook in gradient mode), EMA
/// codebook updates, usage tracking with dead-code restarts. Its state (not the weights) round-trips through
/// <see cref="SaveState"/>/<see cref="LoadState"/> so that a resumed run continues bit-identically on the CPU.
/// Not thread-safe, and not to be used concurrently with calls on its model. The native model stays alive while
/// the trainer exists, even if the <see cref="NativeModel"/> is disposed first.
/// </summary>
public sealed class NativeTrainer : IDisposable
{
    private readonly TrainerHandle _handle;
    private volatile bool _disposed;
    private readonly int _codebookSize;

    private NativeTrainer(TrainerHandle handle, int codebookSize)
    {
        _handle = handle;
        _codebookSize = codebookSize;
    }

    private TrainerHandle Handle
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _handle;
        }
    }

    /// <summary>A trainer for <paramref name="model"/>; invalid settings throw <see cref="NativeArgumentException"/>.</summary>
    public static NativeTrainer Create(NativeModel model, TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        Interop.GridNative.GridTrainConfig native = config.ToNative();
        ModelHandle modelHandle = model.Handle;
        int status = Interop.GridNative.TrainerCreate(modelHandle, in native, out TrainerHandle handle);
        NativeErrors.ThrowIfFailed(status, handle).HoldModel(modelHandle);
        return new NativeTrainer(handle, model.Config.CodebookSize);
    }

    /// <summary>One optimizer step on a batch (the caller crops and flips).</summary>
    /// <param name="rgb">count x height x width x 3 bytes.</param>
    /// <param name="count">Number of images.</param>
    /// <param name="height">Image height, a positive multiple of 4.</param>
    /// <param name="width">Image width, a positive multiple of 4.</param>
    /// <param name="learningRate">Adam's step size for this step (finite, non-negative).</param>
    /// <param name="codeCounts">Empty, or CodebookSize elements receiving this batch's assignment counts per code
    /// (before any restart).</param>
    public unsafe StepResult Step(
        ReadOnlySpan<byte> rgb, int count, int height, int width, float learningRate, Span<long> codeCounts = default)
    {
        BatchShape.RequireImages(count, height, width);
        BatchShape.RequireLength(rgb.Length, nameof(rgb), "count x height x width x 3", count, height, width, 3);
        if (!codeCounts.IsEmpty)
        {
            BatchShape.RequireLength(codeCounts.Length, nameof(codeCounts), "CodebookSize", _codebookSize);
        }

        if (!float.IsFinite(learningRate) || learningRate < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and non-negative.");
        }

        fixed (byte* pixels = rgb)
        fixed (long* counts = codeCounts)
        {
            NativeErrors.ThrowIfFailed(Interop.GridNative.TrainerStep(
                Handle, pixels, count, height, width, learningRate, out Interop.GridNative.GridStepResult result, counts));
            return StepResult.FromNative(result);
        }
    }

    /// <summary>
    /// Re-derives the codebook statistics from the model's current codebook (call after
    /// <see cref="NativeModel.SetCodebook"/>): EMA cluster sizes and usage set to <paramref name="initialUsage"/>,
    /// EMA sums to codebook x <paramref name="initialUsage"/>.
    /// </summary>
    public void ResetCodebookState(float initialUsage) =>
        NativeErrors.ThrowIfFailed(Interop.GridNative.TrainerResetCodebookState(Handle, initialUsage));

    /// <summary>Usage EMA per code (assignments per step): what dead-code restarts compare with their threshold.</summary>
    public unsafe float[] GetCodeUsage()
    {
        float[] usage = new float[_codebookSize];
        fixed (float* output = usage)
        {
            NativeErrors.ThrowIfFailed(Interop.GridNative.TrainerGetCodeUsage(Handle, output, usage.Length));
        }

        return usage;
    }

    /// <summary>The complete training state (step, Adam moments, EMA state, usage, generator); not the weights.</summary>
    public byte[] SaveState()
    {
        int status = Interop.GridNative.TrainerSaveState(Handle, out BufferHandle buffer);
        using BufferHandle state = NativeErrors.ThrowIfFailed(status, buffer);
        return state.ToArray();
    }

    /// <summary>Restores a state saved by <see cref="SaveState"/>; malformed bytes throw <see cref="NativeDataException"/>
    /// and leave the trainer unchanged.</summary>
    public unsafe void LoadState(ReadOnlySpan<byte> state)
    {
        if (state.IsEmpty)
        {
            throw new ArgumentException("state is empty.", nameof(state));
        }

        fixed (byte* data = state)
        {
            NativeErrors.ThrowIfFailed(Interop.GridNative.TrainerLoadState(Handle, data, state.Length));
        }
    }

    /// <summary>Releases the native trainer and its hold on the model. Idempotent.</summary>
    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }
}
