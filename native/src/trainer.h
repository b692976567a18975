// Training of a Codec's model: Adam on encoder/decoder (and codebook in gradient mode), EMA codebook updates,
// usage EMA with dead-code restarts, and a serialisable state that resumes bit-identically on the CPU.
// Keeps a reference to the Codec, which must outlive it. Not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "adam.h"
#include "arguments.h"
#include "codec.h"
#include "grid_native.h"
#include "torch_includes.h"

namespace grid {

class Trainer {
 public:
  static constexpr char kStateMagic[5] = {'G', 'R', 'I', 'D', 'T'};
  static constexpr uint32_t kStateVersion = 1;

  // config must be valid (ValidateTrainConfig). Codebook state starts from the model's codebook with usage
  // dead_code_threshold (or 1 when restarts are off), as after ResetCodebookState.
  Trainer(Codec& codec, const GridTrainConfig& config);

  // code_counts (nullable): K assignment counts of this batch, written before any restart.
  GridStepResult Step(const uint8_t* rgb, const ImageBatchShape& shape, float learning_rate, int64_t* code_counts);
  void ResetCodebookState(float initial_usage);
  void GetCodeUsage(float* usage, int64_t count) const;
  std::vector<uint8_t> SaveState();
  void LoadState(const uint8_t* state, int64_t length);

 private:
  // Marks which parameters receive gradients this step (the model may be shared with another trainer).
  void ApplyTrainability();
  // The global gradient norm before clipping; clips to gradient_clip_norm when that is positive.
  float ClipGradients();
  void UpdateCodebookByEma(const torch::Tensor& vectors, const torch::Tensor& indices, const torch::Tensor& counts);
  // Re-seeds codes whose usage EMA is below the threshold with random rows of vectors; returns how many.
  int32_t RestartDeadCodes(const torch::Tensor& vectors);

  Codec& codec_;
  GridTrainConfig config_;
  int64_t step_ = 0;
  std::vector<std::string> parameter_names_;
  std::vector<torch::Tensor> encoder_parameters_;
  std::vector<torch::Tensor> decoder_parameters_;
  Adam adam_;
  torch::Tensor cluster_size_;  // K: EMA of assignments per code (EMA mode)
  torch::Tensor embed_sum_;     // K x D: EMA of the sum of vectors assigned to each code (EMA mode)
  torch::Tensor usage_;         // K: EMA of assignments per step, both modes (dead-code detection)
  at::Generator generator_;     // restart choices; CPU generator whatever the device, so its state is portable
};

}  // namespace grid
