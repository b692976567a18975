// Process-wide runtime facts and settings: threads, BLAS detection, the GetRuntimeInfo JSON.
#pragma once

#include <cstdint>
#include <string>

namespace grid {

class RuntimeInfo {
 public:
  // Intra-op threads for libtorch (OpenMP) and OpenBLAS; inter-op threads are set once, on the first call.
  static void SetNumThreads(int32_t threads);
  static int32_t GetNumThreads();
  static int32_t CudaDeviceCount();
  // The BLAS libtorch's calls bind to: the file defining sgemm_ in the global scope (dladdr + realpath), else
  // the first BLAS file in /proc/self/maps. "openblas", "mkl", "blis", "reference" (netlib libblas) or
  // "unknown"; library gets the file's path ("" when unknown).
  static std::string DetectBlas(std::string* library);
  // {"torch":..,"cuda":..,"cuda_devices":..,"blas":..,"blas_library":..,"blas_config":..,"mkldnn":..,
  //  "threads":..,"interop_threads":..,"abi":..}
  static std::string ToJson();
};

}  // namespace grid
