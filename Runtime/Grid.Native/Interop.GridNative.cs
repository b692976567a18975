using System.Runtime.InteropServices;

namespace Grid.Native;

internal static partial class Interop
{
    /// <summary>
    /// The C ABI of native/include/grid_native.h, one declaration per export. Every int return is a
    /// <see cref="NativeStatus"/>; check it with <see cref="NativeErrors.ThrowIfFailed(int)"/>.
    /// </summary>
    internal static unsafe partial class GridNative
    {
        /// <summary>Bump together with GRID_NATIVE_ABI_VERSION in grid_native.h.</summary>
        internal const int AbiVersion = 2;

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_LastError")]
        internal static partial byte* LastError();

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_AbiVersion")]
        internal static partial int GetAbiVersion();

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_SetNumThreads")]
        internal static partial int SetNumThreads(int n);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_GetNumThreads")]
        internal static partial int GetNumThreads(out int n);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_CudaDeviceCount")]
        internal static partial int CudaDeviceCount(out int count);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_GetRuntimeInfo")]
        internal static partial int GetRuntimeInfo(byte* buffer, int capacity, out int required);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_DefaultModelConfig")]
        internal static partial void DefaultModelConfig(out GridModelConfig config);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_DefaultInferenceOptions")]
        internal static partial void DefaultInferenceOptions(out GridInferenceOptions options);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_SetInferenceOptions")]
        internal static partial int SetInferenceOptions(in GridInferenceOptions options);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_GetInferenceOptions")]
        internal static partial int GetInferenceOptions(out GridInferenceOptions options);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_DefaultTrainConfig")]
        internal static partial void DefaultTrainConfig(out GridTrainConfig config);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_BufferGet")]
        internal static partial int BufferGet(BufferHandle buffer, out byte* data, out long length);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_BufferDestroy")]
        internal static partial void BufferDestroy(nint buffer);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_ModelCreate", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int ModelCreate(in GridModelConfig config, string device, ulong seed, out ModelHandle model);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_ModelSave")]
        internal static partial int ModelSave(ModelHandle model, out BufferHandle weights);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_ModelLoad", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int ModelLoad(byte* weights, long length, string device, out ModelHandle model);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_ModelDestroy")]
        internal static partial void ModelDestroy(nint model);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_ModelGetConfig")]
        internal static partial int ModelGetConfig(ModelHandle model, out GridModelConfig config);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_ModelParameterCount")]
        internal static partial int ModelParameterCount(ModelHandle model, out long count);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_ModelEncode")]
        internal static partial int ModelEncode(ModelHandle model, byte* rgb, int count, int height, int width, ushort* indices);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_ModelDecode")]
        internal static partial int ModelDecode(
            ModelHandle model, ushort* indices, int count, int latentHeight, int latentWidth, byte* rgb);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_ModelEncodeLatents")]
        internal static partial int ModelEncodeLatents(
            ModelHandle model, byte* rgb, int count, int height, int width, float* latents);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_ModelGetCodebook")]
        internal static partial int ModelGetCodebook(ModelHandle model, float* codebook, long count);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_ModelSetCodebook")]
        internal static partial int ModelSetCodebook(ModelHandle model, float* codebook, long count);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_TrainerCreate")]
        internal static partial int TrainerCreate(ModelHandle model, in GridTrainConfig config, out TrainerHandle trainer);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_TrainerDestroy")]
        internal static partial void TrainerDestroy(nint trainer);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_TrainerStep")]
        internal static partial int TrainerStep(
            TrainerHandle trainer, byte* rgb, int count, int height, int width, float learningRate,
            out GridStepResult result, long* codeCounts);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_TrainerResetCodebookState")]
        internal static partial int TrainerResetCodebookState(TrainerHandle trainer, float initialUsage);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_TrainerGetCodeUsage")]
        internal static partial int TrainerGetCodeUsage(TrainerHandle trainer, float* usage, long count);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_TrainerSaveState")]
        internal static partial int TrainerSaveState(TrainerHandle trainer, out BufferHandle state);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_TrainerLoadState")]
        internal static partial int TrainerLoadState(TrainerHandle trainer, byte* state, long length);

        [LibraryImport(Libraries.GridNative, EntryPoint = "GridNative_KMeans", StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int KMeans(
            float* points, long n, int dim, int k, float* initial, int maxIterations, float tolerance, ulong seed,
            string? device, float* centres, out GridKMeansResult result);
    }
}
