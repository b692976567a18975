// The process-wide inference settings of the C ABI (GridInferenceOptions): precision on CUDA, the largest device
// pass, cuDNN determinism. Read by every Codec call; set rarely (at startup).
#pragma once

#include "grid_native.h"

namespace grid {

class InferenceOptions {
 public:
  static GridInferenceOptions Defaults();
  // Throws GridError(GRID_ERROR_INVALID_ARGUMENT) naming a bad field; otherwise stores the options and applies
  // the global cuDNN/cuBLAS flags they imply (TF32, determinism, benchmark mode).
  static void Set(const GridInferenceOptions& options);
  static GridInferenceOptions Get();
  // Largest max_batch accepted.
  static constexpr int32_t kMaxBatchLimit = 1 << 20;
};

}  // namespace grid
