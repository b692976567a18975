// N residual blocks x + Conv1x1(ReLU(Conv3x3(ReLU(x)))) followed by a ReLU (the VQ-VAE paper's stack).
#pragma once

#include <vector>

#include "torch_includes.h"

namespace grid {

class ResidualStackImpl : public torch::nn::Module {
 public:
  ResidualStackImpl(int64_t hidden_channels, int64_t residual_channels, int64_t blocks);
  torch::Tensor forward(const torch::Tensor& input);

 private:
  std::vector<torch::nn::Conv2d> conv3x3_;  // hidden -> residual, padding 1
  std::vector<torch::nn::Conv2d> conv1x1_;  // residual -> hidden
};
TORCH_MODULE(ResidualStack);

}  // namespace grid
