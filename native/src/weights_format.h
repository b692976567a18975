// Grid's weights file (docs/weights-format.md): magic "GRIDW", format version, GridModelConfig, then every
// parameter as a named float32 tensor in the model's registration order. Same weights -> same bytes.
#pragma once

#include <cstdint>
#include <vector>

#include "grid_native.h"
#include "vqvae_model.h"

namespace grid {

class WeightsFormat {
 public:
  static constexpr char kMagic[5] = {'G', 'R', 'I', 'D', 'W'};
  static constexpr uint32_t kVersion = 1;

  static std::vector<uint8_t> Write(VqVaeModel& model);
  // Validates everything (magic, version, configuration, tensor names and shapes, finiteness, truncation,
  // trailing bytes); failures throw GridError(GRID_ERROR_INVALID_DATA). The model is returned on the CPU.
  static VqVaeModel Read(const uint8_t* data, int64_t length);
};

}  // namespace grid
