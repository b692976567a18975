#include "codec.h"

#include <cstring>

#include "errors.h"
#include "inference_options.h"
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

[[noreturn]] void ThrowIndexOutOfRange(const uint16_t* indices, int64_t i, const ImageBatchShape& shape,
                                       int64_t codebook_size) {
  const int64_t per_image = shape.latent_height * shape.latent_width;
  ThrowInvalidData("index " + std::to_string(indices[i]) + " at image " + std::to_string(i / per_image) + ", row " +
                   std::to_string(i % per_image / shape.latent_width) + ", column " +
                   std::to_string(i % shape.latent_width) + " is not below the codebook size " +
                   std::to_string(codebook_size));
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
  const GridInferenceOptions options = InferenceOptions::Get();
  if (device_.is_cpu() && options.max_batch <= 0) {
    EncodeDirect(rgb, shape, indices);
    return;
  }
  VqVaeModel& network = InferenceNetwork(options.precision);
  const int64_t image_bytes = shape.height * shape.width * 3;
  const int64_t image_positions = shape.latent_height * shape.latent_width;
  const DevicePipeline::Spec spec{shape.count,  options.max_batch,   {shape.height, shape.width, 3},
                                  torch::kUInt8, {shape.latent_height, shape.latent_width}, torch::kShort};
  pipeline_.Run(
      device_, spec,
      [&](const DevicePipeline::Pass& pass, const torch::Tensor& host) {
        std::memcpy(host.data_ptr(), rgb + pass.first * image_bytes, static_cast<size_t>(pass.count * image_bytes));
      },
      [&](const torch::Tensor& pixels) { return IndicesOf(network, pixels); },
      [&](const DevicePipeline::Pass& pass, const torch::Tensor& host) {
        std::memcpy(indices + pass.first * image_positions, host.data_ptr(),
                    static_cast<size_t>(pass.count * image_positions) * sizeof(uint16_t));
      });
}

void Codec::EncodeDirect(const uint8_t* rgb, const ImageBatchShape& shape, uint16_t* indices) {
  const torch::Tensor latents = EncodeBatch(rgb, shape);
  const torch::Tensor vectors = latents.permute({0, 2, 3, 1}).reshape({-1, config().embedding_dim});
  torch::Tensor assigned = model_->quantizer()->Assign(vectors);
  if (!assigned.device().is_cpu()) assigned = assigned.to(torch::kInt).to(torch::kCPU);
  assigned = assigned.to(torch::kLong).contiguous();
  const int64_t* source = assigned.data_ptr<int64_t>();
  const int64_t positions = shape.latent_positions();
  for (int64_t i = 0; i < positions; ++i) indices[i] = static_cast<uint16_t>(source[i]);
}

torch::Tensor Codec::IndicesOf(VqVaeModel& network, const torch::Tensor& pixels) {
  // The same arithmetic as PixelsToInput; NHWC bytes permuted are a channels-last NCHW tensor.
  torch::Tensor input = pixels.permute({0, 3, 1, 2}).to(torch::kFloat).div_(255.0).sub_(0.5);
  if (inference_type_ != torch::kFloat && !device_.is_cpu()) input = input.to(inference_type_);
  torch::Tensor vectors = network->encoder()->forward(input).permute({0, 2, 3, 1}).reshape({-1, config().embedding_dim});
  // The nearest-code search runs in float32 on the float32 codebook whatever the network's precision.
  if (vectors.scalar_type() != torch::kFloat) vectors = vectors.to(torch::kFloat);
  // int64 -> int16 keeps the low 16 bits: the uint16 index's bit pattern (K <= 65536).
  return model_->quantizer()->Assign(vectors).to(torch::kShort).view({pixels.size(0), pixels.size(1) / 4, pixels.size(2) / 4});
}

torch::Tensor Codec::PixelsOf(VqVaeModel& network, const torch::Tensor& codes) {
  const int64_t count = codes.size(0);
  const int64_t latent_height = codes.size(1);
  const int64_t latent_width = codes.size(2);
  torch::Tensor quantized = model_->quantizer()
                                ->Lookup(codes)
                                .view({count, latent_height, latent_width, -1})
                                .permute({0, 3, 1, 2});
  if (inference_type_ != torch::kFloat && !device_.is_cpu()) quantized = quantized.to(inference_type_);
  torch::Tensor output = network->decoder()->forward(quantized);
  if (output.scalar_type() != torch::kFloat) output = output.to(torch::kFloat);
  output.add_(0.5).mul_(255.0).round_().clamp_(0.0, 255.0);
  return output.permute({0, 2, 3, 1}).to(torch::kUInt8).contiguous();
}

VqVaeModel& Codec::InferenceNetwork(int32_t precision) {
  if (device_.is_cpu()) {
    inference_type_ = torch::kFloat;
    return model_;
  }
  const torch::ScalarType type = precision == GRID_PRECISION_BF16 ? torch::kBFloat16 : torch::kFloat;
  std::vector<std::pair<const void*, int64_t>> source;
  for (const torch::Tensor& parameter : model_->parameters()) {
    source.emplace_back(parameter.data_ptr(), static_cast<int64_t>(parameter._version()));
  }
  if (inference_ && inference_type_ == type && inference_source_ == source) return inference_;
  c10::InferenceMode normal_tensors(false);  // the copy outlives this call: no inference tensors
  torch::NoGradGuard no_grad;
  VqVaeModel copy(config());
  copy->to(device_, type);
  const auto from = model_->named_parameters();
  for (auto& item : copy->named_parameters()) {
    torch::Tensor& parameter = item.value();
    parameter.copy_(from[item.key()].detach());
    if (parameter.dim() == 4) parameter.set_data(parameter.contiguous(torch::MemoryFormat::ChannelsLast));
  }
  copy->eval();
  inference_ = copy;
  inference_type_ = type;
  inference_source_ = std::move(source);
  return inference_;
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
  const GridInferenceOptions options = InferenceOptions::Get();
  if (device_.is_cpu() && options.max_batch <= 0) {
    DecodeDirect(indices, shape, rgb);
    return;
  }
  const int64_t positions = shape.latent_positions();
  const int64_t codebook_size = config().codebook_size;
  for (int64_t i = 0; i < positions; ++i) {
    if (indices[i] >= codebook_size) ThrowIndexOutOfRange(indices, i, shape, codebook_size);
  }
  c10::InferenceMode inference;
  VqVaeModel& network = InferenceNetwork(options.precision);
  const int64_t image_positions = shape.latent_height * shape.latent_width;
  const int64_t image_bytes = shape.height * shape.width * 3;
  const DevicePipeline::Spec spec{shape.count, options.max_batch, {shape.latent_height, shape.latent_width},
                                  torch::kInt, {shape.height, shape.width, 3},          torch::kUInt8};
  pipeline_.Run(
      device_, spec,
      [&](const DevicePipeline::Pass& pass, const torch::Tensor& host) {
        int32_t* destination = host.data_ptr<int32_t>();
        const uint16_t* source = indices + pass.first * image_positions;
        for (int64_t i = 0; i < pass.count * image_positions; ++i) destination[i] = source[i];
      },
      [&](const torch::Tensor& codes) { return PixelsOf(network, codes); },
      [&](const DevicePipeline::Pass& pass, const torch::Tensor& host) {
        std::memcpy(rgb + pass.first * image_bytes, host.data_ptr(), static_cast<size_t>(pass.count * image_bytes));
      });
}

void Codec::DecodeDirect(const uint16_t* indices, const ImageBatchShape& shape, uint8_t* rgb) {
  const int64_t positions = shape.latent_positions();
  const int64_t codebook_size = config().codebook_size;
  torch::Tensor codes = torch::empty({positions}, torch::kInt);
  int32_t* destination = codes.data_ptr<int32_t>();
  for (int64_t i = 0; i < positions; ++i) {
    if (indices[i] >= codebook_size) ThrowIndexOutOfRange(indices, i, shape, codebook_size);
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
