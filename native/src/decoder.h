// Quantised latents (N x D x h x w) -> reconstructed pixels (N x 3 x 4h x 4w, model units).
#pragma once

#include "grid_native.h"
#include "residual_stack.h"
#include "subpixel_deconvolution.h"
#include "torch_includes.h"

namespace grid {

class DecoderImpl : public torch::nn::Module {
 public:
  explicit DecoderImpl(const GridModelConfig& config);
  torch::Tensor forward(const torch::Tensor& latents);

 private:
  torch::nn::Conv2d conv1_{nullptr};  // D -> hidden, 3x3
  ResidualStack residual_{nullptr};
  torch::nn::ConvTranspose2d deconv1_{nullptr};  // hidden -> hidden/2, 4x4 stride 2
  torch::nn::ConvTranspose2d deconv2_{nullptr};  // hidden/2 -> 3, 4x4 stride 2
  SubpixelDeconvolution subpixel1_;              // how deconv1_ and deconv2_ run on the CPU
  SubpixelDeconvolution subpixel2_;
};
TORCH_MODULE(Decoder);

}  // namespace grid
