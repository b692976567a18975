// The seed VQ-VAE: encoder, vector quantiser, decoder, with deterministic initialisation from a seed.
#pragma once

#include <cstdint>

#include "decoder.h"
#include "encoder.h"
#include "grid_native.h"
#include "torch_includes.h"
#include "vector_quantizer.h"

namespace grid {

class VqVaeModelImpl : public torch::nn::Module {
 public:
  // Builds the architecture with zero weights on the CPU; config must be valid (ValidateModelConfig).
  explicit VqVaeModelImpl(const GridModelConfig& config);

  // Replaces every weight with values drawn from a generator seeded by seed, independent of global RNG state:
  // PyTorch's default scheme (uniform +-1/sqrt(fan_in) for convolution weights and biases) and
  // uniform +-1/K for the codebook.
  void InitializeWeights(uint64_t seed);

  // Parameters the architecture of config has, computed without building it (to size-check untrusted bytes).
  static int64_t ParameterCount(const GridModelConfig& config);

  const GridModelConfig& config() const { return config_; }
  Encoder& encoder() { return encoder_; }
  VectorQuantizer& quantizer() { return quantizer_; }
  const VectorQuantizer& quantizer() const { return quantizer_; }
  Decoder& decoder() { return decoder_; }

 private:
  GridModelConfig config_;
  Encoder encoder_{nullptr};
  VectorQuantizer quantizer_{nullptr};
  Decoder decoder_{nullptr};
};
TORCH_MODULE(VqVaeModel);

}  // namespace grid
