namespace Grid.Native;

/// <summary>Arithmetic of inference on CUDA (GridPrecision in grid_native.h). CPU models always compute in float32.</summary>
public enum Precision
{
    /// <summary>float32 everywhere, TF32 tensor cores off (the default).</summary>
    Fp32 = 0,

    /// <summary>float32 tensors; convolutions and products may use TF32 tensor cores.</summary>
    Tf32 = 1,

    /// <summary>Encoder and decoder in bfloat16, channels-last; the nearest-code search stays float32.</summary>
    Bf16 = 2,
}
