// Argument checks shared by the exports. Each failure throws GridError(GRID_ERROR_INVALID_ARGUMENT) with a
// message naming the argument and its value.
#pragma once

#include <cstdint>

#include "grid_native.h"

namespace grid {

// Element counts of a validated image batch (all products checked against int64 overflow).
struct ImageBatchShape {
  int64_t count;
  int64_t height;
  int64_t width;
  int64_t latent_height;
  int64_t latent_width;
  int64_t pixel_values() const { return count * height * width * 3; }
  int64_t latent_positions() const { return count * latent_height * latent_width; }
};

void RequireNotNull(const void* pointer, const char* name);
// count >= 1; height and width positive multiples of GRID_DOWNSAMPLE; every buffer size fits in int64
// even as float32 bytes, with room for the embedding_dim floats per latent position.
ImageBatchShape ValidateImageBatch(int32_t count, int32_t height, int32_t width, int32_t embedding_dim);
// count, latent_height, latent_width >= 1; the decoded image sizes fit in int32 sides and int64 buffers.
ImageBatchShape ValidateLatentBatch(int32_t count, int32_t latent_height, int32_t latent_width, int32_t embedding_dim);
// Every field within the ranges documented in grid_native.h.
void ValidateModelConfig(const GridModelConfig& config);
void ValidateTrainConfig(const GridTrainConfig& config);
// a * b, failing with a message naming what is being sized when the product overflows int64.
int64_t CheckedMultiply(int64_t a, int64_t b, const char* what);

}  // namespace grid
