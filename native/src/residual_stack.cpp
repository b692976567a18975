#include "residual_stack.h"

#include <string>

namespace grid {

ResidualStackImpl::ResidualStackImpl(int64_t hidden_channels, int64_t residual_channels, int64_t blocks) {
  for (int64_t i = 0; i < blocks; ++i) {
    const std::string suffix = "_" + std::to_string(i);
    conv3x3_.push_back(
        register_module("conv3x3" + suffix,
                        torch::nn::Conv2d(torch::nn::Conv2dOptions(hidden_channels, residual_channels, 3).padding(1))));
    conv1x1_.push_back(register_module(
        "conv1x1" + suffix, torch::nn::Conv2d(torch::nn::Conv2dOptions(residual_channels, hidden_channels, 1))));
  }
}

torch::Tensor ResidualStackImpl::forward(const torch::Tensor& input) {
  torch::Tensor x = input;
  for (size_t i = 0; i < conv3x3_.size(); ++i) {
    // In-place ReLU/add only on tensors made here (convolution backward needs inputs, not outputs). The
    // out-of-place ReLU is clamp_min: libtorch 1.13's relu() is ~30x slower on channels-last tensors.
    torch::Tensor h = conv3x3_[i]->forward(x.clamp_min(0));
    h.relu_();
    h = conv1x1_[i]->forward(h);
    x = h.add_(x);
  }
  return conv3x3_.empty() ? x.clamp_min(0) : x.relu_();
}

}  // namespace grid
