#include "vqvae_model.h"

#include <cmath>

namespace grid {
namespace {

// PyTorch's reset_parameters for Conv2d/ConvTranspose2d: kaiming_uniform(a=sqrt(5)) and the bias rule both
// reduce to uniform(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = weight.size(1) * kernel area.
void InitializeConvolution(torch::Tensor& weight, torch::Tensor& bias, at::Generator& generator) {
  const int64_t fan_in = weight.size(1) * weight.size(2) * weight.size(3);
  const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
  weight.uniform_(-bound, bound, generator);
  if (bias.defined()) bias.uniform_(-bound, bound, generator);
}

int64_t ConvolutionParameters(int64_t in, int64_t out, int64_t kernel) { return in * out * kernel * kernel + out; }

}  // namespace

VqVaeModelImpl::VqVaeModelImpl(const GridModelConfig& config) : config_(config) {
  encoder_ = register_module("encoder", Encoder(config));
  quantizer_ = register_module("quantizer", VectorQuantizer(config.codebook_size, config.embedding_dim));
  decoder_ = register_module("decoder", Decoder(config));
}

void VqVaeModelImpl::InitializeWeights(uint64_t seed) {
  torch::NoGradGuard no_grad;
  at::Generator generator = at::make_generator<at::CPUGeneratorImpl>(seed);
  for (const auto& module : modules(/*include_self=*/false)) {
    if (auto* conv = module->as<torch::nn::Conv2dImpl>()) {
      InitializeConvolution(conv->weight, conv->bias, generator);
    } else if (auto* deconv = module->as<torch::nn::ConvTranspose2dImpl>()) {
      InitializeConvolution(deconv->weight, deconv->bias, generator);
    }
  }
  const double bound = 1.0 / static_cast<double>(config_.codebook_size);
  torch::Tensor codebook = quantizer_->codebook();
  codebook.uniform_(-bound, bound, generator);
}

int64_t VqVaeModelImpl::ParameterCount(const GridModelConfig& config) {
  const int64_t hidden = config.hidden_channels;
  const int64_t residual_stack = config.residual_blocks * (ConvolutionParameters(hidden, config.residual_channels, 3) +
                                                           ConvolutionParameters(config.residual_channels, hidden, 1));
  const int64_t encoder = ConvolutionParameters(3, hidden / 2, 4) + ConvolutionParameters(hidden / 2, hidden, 4) +
                          ConvolutionParameters(hidden, hidden, 3) + residual_stack +
                          ConvolutionParameters(hidden, config.embedding_dim, 1);
  const int64_t codebook = int64_t{config.codebook_size} * config.embedding_dim;
  const int64_t decoder = ConvolutionParameters(config.embedding_dim, hidden, 3) + residual_stack +
                          ConvolutionParameters(hidden, hidden / 2, 4) + ConvolutionParameters(hidden / 2, 3, 4);
  return encoder + codebook + decoder;
}

}  // namespace grid
