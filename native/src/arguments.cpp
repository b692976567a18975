#include "arguments.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "errors.h"

namespace grid {
namespace {

constexpr int32_t kMaxChannels = 4096;
constexpr int32_t kMaxResidualBlocks = 64;
constexpr int32_t kMaxCodebookSize = 65536;

void RequirePositive(int64_t value, const char* name) {
  if (value <= 0) ThrowInvalidArgument(std::string(name) + " must be positive, got " + std::to_string(value));
}

void RequireRange(int64_t value, int64_t low, int64_t high, const char* name) {
  if (value < low || value > high) {
    ThrowInvalidArgument(std::string(name) + " must be in " + std::to_string(low) + ".." + std::to_string(high) +
                         ", got " + std::to_string(value));
  }
}

void RequireFloat(bool ok, const char* name, float value, const char* expectation) {
  if (!ok) {
    ThrowInvalidArgument(std::string(name) + " must be " + expectation + ", got " + std::to_string(value));
  }
}

void RequireFlag(int32_t value, const char* name) {
  if (value != 0 && value != 1)
    ThrowInvalidArgument(std::string(name) + " must be 0 or 1, got " + std::to_string(value));
}

// The buffers of a batch: pixels as uint8 and as float32 working copies, latents as D floats per position.
void CheckBufferSizes(const ImageBatchShape& shape, int32_t embedding_dim) {
  const int64_t pixels = CheckedMultiply(
      CheckedMultiply(CheckedMultiply(shape.count, shape.height, "the image batch"), shape.width, "the image batch"), 3,
      "the image batch");
  CheckedMultiply(pixels, static_cast<int64_t>(sizeof(float)), "the image batch as float32");
  const int64_t positions = shape.latent_positions();
  CheckedMultiply(CheckedMultiply(positions, std::max<int64_t>(embedding_dim, 1), "the latent batch"),
                  static_cast<int64_t>(sizeof(float)), "the latent batch as float32");
}

}  // namespace

int64_t CheckedMultiply(int64_t a, int64_t b, const char* what) {
  int64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product)) {
    ThrowInvalidArgument(std::string(what) + " is too large: " + std::to_string(a) + " x " + std::to_string(b) +
                         " overflows a 64-bit size");
  }
  return product;
}

void RequireNotNull(const void* pointer, const char* name) {
  if (pointer == nullptr) ThrowInvalidArgument(std::string(name) + " is null");
}

ImageBatchShape ValidateImageBatch(int32_t count, int32_t height, int32_t width, int32_t embedding_dim) {
  RequirePositive(count, "count");
  RequirePositive(height, "height");
  RequirePositive(width, "width");
  if (height % GRID_DOWNSAMPLE != 0) {
    ThrowInvalidArgument("height (" + std::to_string(height) + ") is not a multiple of " +
                         std::to_string(GRID_DOWNSAMPLE) + "; pad the images");
  }
  if (width % GRID_DOWNSAMPLE != 0) {
    ThrowInvalidArgument("width (" + std::to_string(width) + ") is not a multiple of " +
                         std::to_string(GRID_DOWNSAMPLE) + "; pad the images");
  }
  ImageBatchShape shape{count, height, width, height / GRID_DOWNSAMPLE, width / GRID_DOWNSAMPLE};
  CheckBufferSizes(shape, embedding_dim);
  return shape;
}

ImageBatchShape ValidateLatentBatch(int32_t count, int32_t latent_height, int32_t latent_width, int32_t embedding_dim) {
  RequirePositive(count, "count");
  RequirePositive(latent_height, "latent_height");
  RequirePositive(latent_width, "latent_width");
  constexpr int32_t kMaxLatentSide = INT32_MAX / GRID_DOWNSAMPLE;
  if (latent_height > kMaxLatentSide) {
    ThrowInvalidArgument("latent_height (" + std::to_string(latent_height) + ") makes an image taller than int32");
  }
  if (latent_width > kMaxLatentSide) {
    ThrowInvalidArgument("latent_width (" + std::to_string(latent_width) + ") makes an image wider than int32");
  }
  ImageBatchShape shape{count, int64_t{latent_height} * GRID_DOWNSAMPLE, int64_t{latent_width} * GRID_DOWNSAMPLE,
                        latent_height, latent_width};
  CheckBufferSizes(shape, embedding_dim);
  return shape;
}

void ValidateModelConfig(const GridModelConfig& config) {
  RequireRange(config.hidden_channels, 2, kMaxChannels, "hidden_channels");
  if (config.hidden_channels % 2 != 0) {
    ThrowInvalidArgument("hidden_channels must be even (the first encoder layer has hidden/2), got " +
                         std::to_string(config.hidden_channels));
  }
  RequireRange(config.residual_channels, 1, kMaxChannels, "residual_channels");
  RequireRange(config.residual_blocks, 0, kMaxResidualBlocks, "residual_blocks");
  RequireRange(config.embedding_dim, 1, kMaxChannels, "embedding_dim");
  RequireRange(config.codebook_size, 1, kMaxCodebookSize, "codebook_size");
}

void ValidateTrainConfig(const GridTrainConfig& config) {
  RequireFloat(config.adam_beta1 >= 0 && config.adam_beta1 < 1, "adam_beta1", config.adam_beta1, "in [0, 1)");
  RequireFloat(config.adam_beta2 >= 0 && config.adam_beta2 < 1, "adam_beta2", config.adam_beta2, "in [0, 1)");
  RequireFloat(config.adam_epsilon > 0 && std::isfinite(config.adam_epsilon), "adam_epsilon", config.adam_epsilon,
               "positive and finite");
  RequireFloat(config.weight_decay >= 0 && std::isfinite(config.weight_decay), "weight_decay", config.weight_decay,
               "non-negative and finite");
  RequireFloat(config.commitment_cost >= 0 && std::isfinite(config.commitment_cost), "commitment_cost",
               config.commitment_cost, "non-negative and finite");
  RequireFloat(config.data_variance > 0 && std::isfinite(config.data_variance), "data_variance", config.data_variance,
               "positive and finite");
  RequireFloat(!std::isnan(config.gradient_clip_norm), "gradient_clip_norm", config.gradient_clip_norm,
               "a number (<= 0 disables clipping)");
  if (config.codebook_mode != GRID_CODEBOOK_GRADIENT && config.codebook_mode != GRID_CODEBOOK_EMA) {
    ThrowInvalidArgument("codebook_mode must be 0 (gradient) or 1 (EMA), got " + std::to_string(config.codebook_mode));
  }
  RequireFloat(config.ema_decay >= 0 && config.ema_decay < 1, "ema_decay", config.ema_decay, "in [0, 1)");
  RequireFloat(config.ema_epsilon > 0 && std::isfinite(config.ema_epsilon), "ema_epsilon", config.ema_epsilon,
               "positive and finite");
  RequireFloat(std::isfinite(config.dead_code_threshold), "dead_code_threshold", config.dead_code_threshold,
               "finite (<= 0 disables restarts)");
  RequireFlag(config.train_encoder, "train_encoder");
  RequireFlag(config.train_decoder, "train_decoder");
  RequireFlag(config.train_codebook, "train_codebook");
}

}  // namespace grid
