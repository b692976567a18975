// Device strings of the C ABI: "cpu", "cuda" (the first CUDA device) or "cuda:N".
#pragma once

#include <string>

#include "torch_includes.h"

namespace grid {

// Parses and checks availability; unknown strings and CUDA on a build or machine without it throw
// GridError(GRID_ERROR_DEVICE). name labels the argument in messages.
torch::Device ParseDevice(const char* text, const char* name);
// "cpu" or "cuda:N": the canonical form reported back to callers.
std::string DeviceName(const torch::Device& device);

}  // namespace grid
