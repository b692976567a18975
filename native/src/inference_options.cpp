#include "inference_options.h"

#include <mutex>
#include <string>

#include "errors.h"
#include "torch_includes.h"

namespace grid {
namespace {

std::mutex& Lock() {
  static std::mutex lock;
  return lock;
}

GridInferenceOptions& Stored() {
  static GridInferenceOptions options = InferenceOptions::Defaults();
  return options;
}

// The global flags are libtorch's, process-wide like these options. TF32 only when asked for: libtorch lets
// cuDNN use TF32 by default, which would make "fp32" quietly lower-precision on Ampere and later.
void ApplyGlobalFlags(const GridInferenceOptions& options) {
  at::Context& context = at::globalContext();
  const bool tf32 = options.precision == GRID_PRECISION_TF32;
  context.setAllowTF32CuDNN(tf32);
  context.setAllowTF32CuBLAS(tf32);
  context.setDeterministicCuDNN(options.deterministic != 0);
  context.setBenchmarkCuDNN(options.deterministic == 0);
}

struct ApplyDefaultsOnce {
  ApplyDefaultsOnce() { ApplyGlobalFlags(InferenceOptions::Defaults()); }
};

}  // namespace

GridInferenceOptions InferenceOptions::Defaults() {
  GridInferenceOptions options{};
  options.precision = GRID_PRECISION_FP32;
  options.max_batch = 0;
  options.deterministic = 1;
  return options;
}

void InferenceOptions::Set(const GridInferenceOptions& options) {
  if (options.precision != GRID_PRECISION_FP32 && options.precision != GRID_PRECISION_TF32 &&
      options.precision != GRID_PRECISION_BF16) {
    ThrowInvalidArgument("precision must be 0 (fp32), 1 (tf32) or 2 (bf16), got " +
                         std::to_string(options.precision));
  }
  if (options.max_batch > kMaxBatchLimit) {
    ThrowInvalidArgument("max_batch must be at most " + std::to_string(kMaxBatchLimit) + " (or <= 0 for no limit), got " +
                         std::to_string(options.max_batch));
  }
  if (options.deterministic != 0 && options.deterministic != 1) {
    ThrowInvalidArgument("deterministic must be 0 or 1, got " + std::to_string(options.deterministic));
  }
  std::lock_guard<std::mutex> guard(Lock());
  GridInferenceOptions stored = options;
  if (stored.max_batch < 0) stored.max_batch = 0;
  ApplyGlobalFlags(stored);
  Stored() = stored;
}

GridInferenceOptions InferenceOptions::Get() {
  static ApplyDefaultsOnce defaults;  // the first model call applies the default flags (TF32 off, deterministic)
  std::lock_guard<std::mutex> guard(Lock());
  return Stored();
}

}  // namespace grid
