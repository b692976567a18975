// Pixels (N x 3 x H x W, model units) -> encoder outputs z_e (N x D x H/4 x W/4).
#pragma once

#include "grid_native.h"
#include "residual_stack.h"
#include "torch_includes.h"

namespace grid {

class EncoderImpl : public torch::nn::Module {
 public:
  explicit EncoderImpl(const GridModelConfig& config);
  torch::Tensor forward(const torch::Tensor& images);

 private:
  torch::nn::Conv2d conv1_{nullptr};  // 3 -> hidden/2, 4x4 stride 2
  torch::nn::Conv2d conv2_{nullptr};  // hidden/2 -> hidden, 4x4 stride 2
  torch::nn::Conv2d conv3_{nullptr};  // hidden -> hidden, 3x3
  ResidualStack residual_{nullptr};
  torch::nn::Conv2d pre_quantization_{nullptr};  // hidden -> D, 1x1
};
TORCH_MODULE(Encoder);

}  // namespace grid
