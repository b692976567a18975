#include "codec.h"

#include <cstring>

#include "errors.h"
#include "weights_format.h"

namespace grid {
namespace {

// Model output (N x 3 x H x W) -> round((y + 0.5) * 255) clamped, written as N x H x W x 3 bytes.
void OutputToPixels(torch::Tensor output, const ImageBatchShape& shape, uint8_t* rgb) {
  output.add_(0.5).mul_(255.0).round_().clamp_(0.0, 255.0);
  torch::Tensor nhwc = output.permute({0, 2, 3, 1});
  // On an accelerator convert there and move bytes; on the CPU one copy converts, transposes and stores.
  if (!nhwc.device().is_cpu()) nhwc = nhwc.to(torch::kUInt8).contiguous().to(torch::kCPU);
  torch::from_blob(rgb, {shape.count, shape.height, shape.width, 3}, torch::kUInt8).copy_(nhwc);
}

}  // namespace

Codec::Codec(const GridModelConfig& config, torch::Device device, uint64_t seed) : model_(config), device_(device) {
  model_->InitializeWeights(seed);
  model_->to(device_);
}

Codec::Codec(const uint8_t* weights, int64_t length, torch::Device device)
    : model_(WeightsFormat::Read(weights, length)), device_(device) {
  model_->to(device_);
}

std::vector<uint8_t> Codec::Save() { return WeightsFormat::Write(model_); }

int64_t Codec::ParameterCount() const { return VqVaeModelImpl::ParameterCount(config()); }

torch::Tensor Codec::PixelsToInput(const uint8_t* rgb, const ImageBatchShape& shape, const torch::Device& device) {
  // from_blob does not copy; nothing writes through this view (to() makes a new tensor).
  torch::Tensor pixels =
      torch::from_blob(const_cast<uint8_t*>(rgb), {shape.count, shape.height, shape.width, 3}, torch::kUInt8);
  if (!device.is_cpu()) pixels = pixels.to(device);  // move bytes, not floats
  return pixels.permute({0, 3, 1, 2}).to(torch::kFloat).div_(255.0).sub_(0.5);
}

torch::Tensor Codec::EncodeBatch(const uint8_t* rgb, const ImageBatchShape& shape) {
  return model_->encoder()->forward(PixelsToInput(rgb, shape, device_));
}

void Codec::Encode(const uint8_t* rgb, const ImageBatchShape& shape, uint16_t* indices) {
  c10::InferenceMode inference;
  const torch::Tensor latents = EncodeBatch(rgb, shape);
  const torch::Tensor vectors = latents.permute({0, 2, 3, 1}).reshape({-1, config().embedding_dim});
  torch::Tensor assigned = model_->quantizer()->Assign(vectors);
  if (!assigned.device().is_cpu()) assigned = assigned.to(torch::kInt).to(torch::kCPU);
  assigned = assigned.to(torch::kLong).contiguous();
  const int64_t* source = assigned.data_ptr<int64_t>();
  const int64_t positions = shape.latent_positions();
  for (int64_t i = 0; i < positions; ++i) indices[i] = static_cast<uint16_t>(source[i]);
}

void Codec::EncodeLatents(const uint8_t* rgb, const ImageBatchShape& shape, float* latents) {
  c10::InferenceMode inference;
  torch::Tensor nhwc = EncodeBatch(rgb, shape).permute({0, 2, 3, 1});
  if (!nhwc.device().is_cpu()) nhwc = nhwc.contiguous().to(torch::kCPU);
  torch::from_blob(latents, {shape.count, shape.latent_height, shape.latent_width, config().embedding_dim},
                   torch::kFloat)
      .copy_(nhwc);
}

void Codec::Decode(const uint16_t* indices, const ImageBatchShape& shape, uint8_t* rgb) {
  const int64_t positions = shape.latent_positions();
  const int64_t codebook_size = config().codebook_size;
  torch::Tensor codes = torch::empty({positions}, torch::kInt);
  int32_t* destination = codes.data_ptr<int32_t>();
  for (int64_t i = 0; i < positions; ++i) {
    if (indices[i] >= codebook_size) {
      const int64_t per_image = shape.latent_height * shape.latent_width;
      ThrowInvalidData("index " + std::to_string(indices[i]) + " at image " + std::to_string(i / per_image) + ", row " +
                       std::to_string(i % per_image / shape.latent_width) + ", column " +
                       std::to_string(i % shape.latent_width) + " is not below the codebook size " +
                       std::to_string(codebook_size));
    }
    destination[i] = indices[i];
  }
  c10::InferenceMode inference;
  if (!device_.is_cpu()) codes = codes.to(device_);
  const torch::Tensor quantized = model_->quantizer()
                                      ->Lookup(codes)
                                      .view({shape.count, shape.latent_height, shape.latent_width, -1})
                                      .permute({0, 3, 1, 2});
  OutputToPixels(model_->decoder()->forward(quantized), shape, rgb);
}

void Codec::CheckCodebookCount(int64_t count, const char* name) const {
  const int64_t expected = int64_t{config().codebook_size} * config().embedding_dim;
  if (count != expected) {
    ThrowInvalidArgument(std::string(name) + " must be K x D = " + std::to_string(config().codebook_size) + " x " +
                         std::to_string(config().embedding_dim) + " = " + std::to_string(expected) + " floats, got " +
                         std::to_string(count));
  }
}

void Codec::GetCodebook(float* codebook, int64_t count) const {
  CheckCodebookCount(count, "count");
  const torch::Tensor values = model_->quantizer()->codebook().detach().to(torch::kCPU).contiguous();
  std::memcpy(codebook, values.data_ptr<float>(), static_cast<size_t>(count) * sizeof(float));
}

void Codec::SetCodebook(const float* codebook, int64_t count) {
  CheckCodebookCount(count, "count");
  const torch::Tensor values =
      torch::from_blob(const_cast<float*>(codebook), {config().codebook_size, config().embedding_dim}, torch::kFloat);
  if (!torch::isfinite(values).all().item<bool>()) ThrowInvalidArgument("codebook holds a non-finite value");
  torch::NoGradGuard no_grad;
  torch::Tensor parameter = model_->quantizer()->codebook();
  parameter.copy_(values);
}

}  // namespace grid
