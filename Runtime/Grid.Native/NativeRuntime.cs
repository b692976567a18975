namespace Grid.Native;

/// <summary>Process-wide settings and facts of libgrid_native.so, and k-means.</summary>
public static class NativeRuntime
{
    /// <summary>
    /// Intra-op CPU threads of libtorch and OpenBLAS (libtorch's own default here is 1), applied on every thread
    /// that calls the library. The first set also fixes libtorch's inter-op thread count. Set it at startup, not
    /// while other threads are encoding (OpenBLAS's count is process-wide).
    /// </summary>
    public static int Threads
    {
        get
        {
            GridNativeLibrary.EnsureLoaded();
            NativeErrors.ThrowIfFailed(Interop.GridNative.GetNumThreads(out int threads));
            return threads;
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            GridNativeLibrary.EnsureLoaded();
            NativeErrors.ThrowIfFailed(Interop.GridNative.SetNumThreads(value));
        }
    }

    /// <summary>
    /// Inference settings (precision on CUDA, largest device pass, cuDNN determinism), process-wide like
    /// <see cref="Threads"/>: set them at startup, not while other threads are encoding. Out-of-range values throw
    /// <see cref="ArgumentOutOfRangeException"/>.
    /// </summary>
    public static InferenceOptions Inference
    {
        get
        {
            GridNativeLibrary.EnsureLoaded();
            NativeErrors.ThrowIfFailed(Interop.GridNative.GetInferenceOptions(out Interop.GridNative.GridInferenceOptions options));
            return InferenceOptions.FromNative(options);
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (!Enum.IsDefined(value.Precision))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value.Precision, "Precision is not Fp32, Tf32 or Bf16.");
            }
            ArgumentOutOfRangeException.ThrowIfNegative(value.MaxBatch, nameof(value.MaxBatch));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value.MaxBatch, InferenceOptions.MaxBatchLimit, nameof(value.MaxBatch));
            GridNativeLibrary.EnsureLoaded();
            Interop.GridNative.GridInferenceOptions native = value.ToNative();
            NativeErrors.ThrowIfFailed(Interop.GridNative.SetInferenceOptions(in native));
        }
    }

    /// <summary>CUDA devices usable by this build (0 for a CPU-only libtorch).</summary>
    public static int CudaDeviceCount
    {
        get
        {
            GridNativeLibrary.EnsureLoaded();
            NativeErrors.ThrowIfFailed(Interop.GridNative.CudaDeviceCount(out int count));
            return count;
        }
    }

    /// <summary>How the library was built and runs now (libtorch version, CUDA, BLAS, oneDNN, threads, ABI).</summary>
    public static unsafe RuntimeInfo Info
    {
        get
        {
            GridNativeLibrary.EnsureLoaded();
            NativeErrors.ThrowIfFailed(Interop.GridNative.GetRuntimeInfo(null, 0, out int required));
            byte[] buffer = new byte[required];
            fixed (byte* output = buffer)
            {
                NativeErrors.ThrowIfFailed(Interop.GridNative.GetRuntimeInfo(output, buffer.Length, out required));
            }

            return RuntimeInfo.Parse(System.Text.Encoding.UTF8.GetString(buffer.AsSpan(0, Math.Min(buffer.Length, required) - 1)));
        }
    }

    /// <summary>
    /// Lloyd's k-means: assign to the nearest centre, move centres to their means, until the largest centre
    /// shift is below <paramref name="tolerance"/> or <paramref name="maxIterations"/>. Empty clusters are re-seeded
    /// with the point farthest from its centre.
    /// </summary>
    /// <param name="points">n x dim floats, row-major (n = points.Length / dim, at least k).</param>
    /// <param name="dim">Length of each point.</param>
    /// <param name="k">Number of centres.</param>
    /// <param name="initial">Empty: k-means++ seeding from <paramref name="seed"/>; else k x dim starting centres.</param>
    /// <param name="maxIterations">Upper bound on Lloyd iterations (at least 1).</param>
    /// <param name="tolerance">Stop once no centre moved further than this (L2).</param>
    /// <param name="seed">Seeds k-means++.</param>
    /// <param name="centres">Receives k x dim floats.</param>
    /// <param name="device">"cpu", "cuda" or "cuda:N".</param>
    public static unsafe KMeansResult KMeans(
        ReadOnlySpan<float> points, int dim, int k, ReadOnlySpan<float> initial, int maxIterations, float tolerance,
        ulong seed, Span<float> centres, string device = "cpu")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dim);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxIterations);
        ArgumentException.ThrowIfNullOrWhiteSpace(device);
        if (points.IsEmpty || points.Length % dim != 0)
        {
            throw new ArgumentException(
                $"points has length {points.Length}, which is not a positive multiple of dim ({dim}).", nameof(points));
        }

        int n = points.Length / dim;
        if (k > n)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k exceeds the number of points ({n}).");
        }

        if (!float.IsFinite(tolerance) || tolerance < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The tolerance must be finite and non-negative.");
        }

        if (!initial.IsEmpty)
        {
            BatchShape.RequireLength(initial.Length, nameof(initial), "k x dim", k, dim);
        }

        BatchShape.RequireLength(centres.Length, nameof(centres), "k x dim", k, dim);
        GridNativeLibrary.EnsureLoaded();
        fixed (float* input = points)
        fixed (float* start = initial)
        fixed (float* output = centres)
        {
            NativeErrors.ThrowIfFailed(Interop.GridNative.KMeans(
                input, n, dim, k, start, maxIterations, tolerance, seed, device, output,
                out Interop.GridNative.GridKMeansResult result));
            return new KMeansResult(result.Iterations, result.EmptyClusters, result.Inertia, result.MaxShift);
        }
    }
}
