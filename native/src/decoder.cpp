#include "decoder.h"

namespace grid {

using torch::nn::ConvTranspose2d;
using torch::nn::ConvTranspose2dOptions;

DecoderImpl::DecoderImpl(const GridModelConfig& config) {
  const int64_t hidden = config.hidden_channels;
  conv1_ =
      register_module("conv1", torch::nn::Conv2d(torch::nn::Conv2dOptions(config.embedding_dim, hidden, 3).padding(1)));
  residual_ = register_module("residual", ResidualStack(hidden, config.residual_channels, config.residual_blocks));
  deconv1_ =
      register_module("deconv1", ConvTranspose2d(ConvTranspose2dOptions(hidden, hidden / 2, 4).stride(2).padding(1)));
  deconv2_ = register_module("deconv2", ConvTranspose2d(ConvTranspose2dOptions(hidden / 2, 3, 4).stride(2).padding(1)));
}

torch::Tensor DecoderImpl::forward(const torch::Tensor& latents) {
  torch::Tensor x = conv1_->forward(latents);
  x = residual_->forward(x);
  x = subpixel1_.Forward(*deconv1_, x, /*relu=*/true);
  return subpixel2_.Forward(*deconv2_, x, /*relu=*/false);
}

}  // namespace grid
