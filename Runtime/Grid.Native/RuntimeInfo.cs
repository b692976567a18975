using System.Text.Json;

namespace Grid.Native;

/// <summary>How libgrid_native.so was built and runs (GridNative_GetRuntimeInfo's JSON).</summary>
/// <param name="Torch">libtorch version the library was compiled against.</param>
/// <param name="Cuda">Whether CUDA is usable.</param>
/// <param name="CudaDevices">Number of usable CUDA devices.</param>
/// <param name="Blas">BLAS that libtorch's matrix products bind to: openblas, mkl, blis, reference or unknown.</param>
/// <param name="Mkldnn">Whether oneDNN (MKL-DNN) convolutions are available.</param>
/// <param name="Threads">Current intra-op thread count.</param>
/// <param name="Abi">The library's ABI version.</param>
/// <param name="BlasLibrary">Path of the BLAS library file (empty when unknown).</param>
public sealed record RuntimeInfo(
    string Torch,
    bool Cuda,
    int CudaDevices,
    string Blas,
    bool Mkldnn,
    int Threads,
    int Abi,
    string BlasLibrary)
{
    /// <summary>Parses the native JSON; throws <see cref="JsonException"/> or <see cref="KeyNotFoundException"/> when malformed.</summary>
    internal static RuntimeInfo Parse(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        return new RuntimeInfo(
            root.GetProperty("torch").GetString() ?? string.Empty,
            root.GetProperty("cuda").GetBoolean(),
            root.GetProperty("cuda_devices").GetInt32(),
            root.GetProperty("blas").GetString() ?? string.Empty,
            root.GetProperty("mkldnn").GetBoolean(),
            root.GetProperty("threads").GetInt32(),
            root.GetProperty("abi").GetInt32(),
            root.TryGetProperty("blas_library", out JsonElement library) ? library.GetString() ?? string.Empty : string.Empty);
    }
}
