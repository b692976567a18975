// A 4x4 stride-2 padding-1 transposed convolution computed as one 2x2 padding-1 convolution with four output
// phases, each phase's output shifted by its (row, column) parity and interleaved ("sub-pixel convolution"). It does
// the transposed convolution's multiply-adds (plus one row and column) and gives the same result up to float
// rounding. On libtorch 1.13's CPU backend it beats ConvTranspose2d, whose oneDNN deconvolution gains nothing from a
// second thread at batch 1 (docs/native-benchmark.md). The weights stay in ConvTranspose2d's layout (and file
// format); the 2x2 weights are derived from them, and cached between calls while they are unchanged.
#pragma once

#include <cstdint>

#include "torch_includes.h"

namespace grid {

class SubpixelDeconvolution {
 public:
  // y = layer(x), then ReLU when relu is set. Differentiable with respect to x and the layer's parameters.
  // Other devices (CUDA has fast transposed convolutions) run the layer itself.
  torch::Tensor Forward(torch::nn::ConvTranspose2dImpl& layer, const torch::Tensor& input, bool relu);

 private:
  // 2x2 weights [4 * out, in, 2, 2] with output channels ordered (row phase, column phase, channel), and the
  // matching bias; differentiable when the layer's parameters require grad.
  static std::pair<torch::Tensor, torch::Tensor> DeriveWeights(const torch::Tensor& weight, const torch::Tensor& bias);
  // phases [N, 4 * C, H + 1, W + 1] -> [N, C, 2H, 2W] channels-last: output (2a + py, 2b + px) is phase (py, px)
  // at (a + py, b + px); with an optional ReLU; one pass over memory (no autograd).
  static torch::Tensor ShuffleInference(const torch::Tensor& phases, bool relu);

  // Derived weights and what they were derived from: the weight tensor itself (held, so its identity cannot be
  // reused), its storage and its version counter (bumped by every in-place update: optimizer steps, loads).
  torch::Tensor cached_weight_;
  torch::Tensor cached_bias_;
  torch::Tensor cached_source_;
  const void* cached_data_ = nullptr;
  int64_t cached_version_ = -1;
};

}  // namespace grid
