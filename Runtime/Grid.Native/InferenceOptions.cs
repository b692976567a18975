namespace Grid.Native;

/// <summary>
/// Process-wide inference settings of libgrid_native.so (GridInferenceOptions in grid_native.h), applied to the next
/// call of every model: set them at startup through <see cref="NativeRuntime.Inference"/>.
/// </summary>
/// <param name="Precision">Arithmetic on CUDA; CPU models always compute in float32.</param>
/// <param name="MaxBatch">Most images one device pass takes: larger calls run as consecutive passes (on CUDA with the
/// copies of one pass overlapping the compute of the next); 0 = the whole call in one pass.</param>
/// <param name="Deterministic">cuDNN deterministic algorithms without autotuning (true, the default), or cuDNN
/// benchmark mode (autotuned per shape; results may vary between runs).</param>
public sealed record InferenceOptions(Precision Precision = Precision.Fp32, int MaxBatch = 0, bool Deterministic = true)
{
    /// <summary>Largest <see cref="MaxBatch"/> the library accepts.</summary>
    public const int MaxBatchLimit = 1 << 20;

    /// <summary>"fp32", "tf32" or "bf16" (case-insensitive); anything else throws <see cref="ArgumentException"/>.</summary>
    public static Precision ParsePrecision(string text) => text?.Trim().ToLowerInvariant() switch
    {
        "fp32" => Precision.Fp32,
        "tf32" => Precision.Tf32,
        "bf16" => Precision.Bf16,
        _ => throw new ArgumentException($"precision must be fp32, tf32 or bf16 (got '{text}')", nameof(text)),
    };

    /// <summary>The lower-case name <see cref="ParsePrecision"/> reads.</summary>
    public static string Name(Precision precision) => precision.ToString().ToLowerInvariant();

    internal Interop.GridNative.GridInferenceOptions ToNative() => new()
    {
        Precision = (int)Precision,
        MaxBatch = MaxBatch,
        Deterministic = Deterministic ? 1 : 0,
    };

    internal static InferenceOptions FromNative(Interop.GridNative.GridInferenceOptions native) =>
        new((Precision)native.Precision, native.MaxBatch, native.Deterministic != 0);
}
