#include "encoder.h"

namespace grid {

using torch::nn::Conv2d;
using torch::nn::Conv2dOptions;

EncoderImpl::EncoderImpl(const GridModelConfig& config) {
  const int64_t hidden = config.hidden_channels;
  conv1_ = register_module("conv1", Conv2d(Conv2dOptions(3, hidden / 2, 4).stride(2).padding(1)));
  conv2_ = register_module("conv2", Conv2d(Conv2dOptions(hidden / 2, hidden, 4).stride(2).padding(1)));
  conv3_ = register_module("conv3", Conv2d(Conv2dOptions(hidden, hidden, 3).padding(1)));
  residual_ = register_module("residual", ResidualStack(hidden, config.residual_channels, config.residual_blocks));
  pre_quantization_ = register_module("pre_quantization", Conv2d(Conv2dOptions(hidden, config.embedding_dim, 1)));
}

torch::Tensor EncoderImpl::forward(const torch::Tensor& images) {
  torch::Tensor x = conv1_->forward(images).relu_();
  x = conv2_->forward(x).relu_();
  x = conv3_->forward(x);
  x = residual_->forward(x);
  return pre_quantization_->forward(x);
}

}  // namespace grid
