// Process-wide runtime facts and settings: threads, BLAS detection, the GetRuntimeInfo JSON.
#pragma once

#include <cstdint>
#include <string>

namespace grid {

class RuntimeInfo {
 public:
  // Intra-op threads for libtorch (OpenMP) and OpenBLAS; inter-op threads are set once, on the first call.
  static void SetNumThreads(int32_t threads);
  // The calling thread's intra-op thread count (after PrepareCurrentThread).
  static int32_t GetNumThreads();
  // Call on entry to every computing export: applies the requested thread count to the calling thread (OpenMP's
  // count is per thread; .NET calls arrive on any thread), or libtorch's default when none was requested.
  static void PrepareCurrentThread();
  static int32_t CudaDeviceCount();
  // The BLAS libtorch's calls bind to: the file defining sgemm_ as this library's dependencies resolve it
  // (dlsym + dladdr + realpath), else
  // the first BLAS file in /proc/self/maps. "openblas", "mkl", "blis", "reference" (netlib libblas) or
  // "unknown"; library gets the file's path ("" when unknown).
  static std::string DetectBlas(std::string* library);
  // {"torch":..,"cuda":..,"cuda_devices":..,"blas":..,"blas_library":..,"blas_config":..,"mkldnn":..,
  //  "threads":..,"interop_threads":..,"abi":..}
  static std::string ToJson();
};

}  // namespace grid
