// A VQ-VAE on a device with the batch operations of the C ABI: pixels <-> indices, latents, codebook access.
// Not thread-safe (the C ABI's handle rule).
#pragma once

#include <cstdint>
#include <vector>

#include "arguments.h"
#include "device_pipeline.h"
#include "grid_native.h"
#include "torch_includes.h"
#include "vqvae_model.h"

namespace grid {

class Codec {
 public:
  // A new model with weights drawn from seed (on the CPU, so the weights do not depend on the device).
  Codec(const GridModelConfig& config, torch::Device device, uint64_t seed);
  // A model read from Grid's weights bytes (WeightsFormat).
  Codec(const uint8_t* weights, int64_t length, torch::Device device);

  std::vector<uint8_t> Save();

  // Encode and Decode follow the process-wide InferenceOptions: on CUDA the precision (bf16 or fp32/tf32 weights,
  // channels-last) and, on any device, the largest pass (max_batch). A CPU call without max_batch runs exactly
  // the float32 path of earlier versions.
  void Encode(const uint8_t* rgb, const ImageBatchShape& shape, uint16_t* indices);
  void EncodeLatents(const uint8_t* rgb, const ImageBatchShape& shape, float* latents);
  // Fails with GRID_ERROR_INVALID_DATA naming the first index >= K before any work is done.
  void Decode(const uint16_t* indices, const ImageBatchShape& shape, uint8_t* rgb);

  void GetCodebook(float* codebook, int64_t count) const;
  void SetCodebook(const float* codebook, int64_t count);

  // uint8 N x H x W x 3 pixels -> float N x 3 x H x W model input (x / 255 - 0.5) on device. The result is a
  // channels-last (NHWC-strided) tensor: no layout copy is made.
  static torch::Tensor PixelsToInput(const uint8_t* rgb, const ImageBatchShape& shape, const torch::Device& device);

  VqVaeModel& model() { return model_; }
  const GridModelConfig& config() const { return model_->config(); }
  const torch::Device& device() const { return device_; }
  int64_t ParameterCount() const;

 private:
  // Encoder outputs for a batch, N x D x h x w, without autograd.
  torch::Tensor EncodeBatch(const uint8_t* rgb, const ImageBatchShape& shape);
  // The float32 CPU path in one pass (bit-identical to earlier versions).
  void EncodeDirect(const uint8_t* rgb, const ImageBatchShape& shape, uint16_t* indices);
  void DecodeDirect(const uint16_t* indices, const ImageBatchShape& shape, uint8_t* rgb);
  // The network inference runs: model_ itself on the CPU; on an accelerator a copy of the encoder and decoder in
  // the precision's dtype with channels-last convolution weights, rebuilt when model_'s weights change.
  VqVaeModel& InferenceNetwork(int32_t precision);
  // N x H x W x 3 uint8 pixels (on the device) -> int16 bit patterns of the uint16 indices, N x h x w.
  torch::Tensor IndicesOf(VqVaeModel& network, const torch::Tensor& pixels);
  // N x h x w int32 indices (on the device) -> N x H x W x 3 uint8 pixels.
  torch::Tensor PixelsOf(VqVaeModel& network, const torch::Tensor& codes);
  void CheckCodebookCount(int64_t count, const char* name) const;

  VqVaeModel model_;
  torch::Device device_;
  DevicePipeline pipeline_;
  VqVaeModel inference_{nullptr};
  torch::ScalarType inference_type_ = torch::kFloat;
  std::vector<std::pair<const void*, int64_t>> inference_source_;  // model_'s (data, version) per parameter
};

}  // namespace grid
