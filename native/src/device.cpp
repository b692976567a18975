#include "device.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

#include "errors.h"

namespace grid {
namespace {

int ParseCudaIndex(const std::string& text, const std::string& suffix) {
  char* end = nullptr;
  errno = 0;
  const long index = std::strtol(suffix.c_str(), &end, 10);
  if (suffix.empty() || errno != 0 || end == suffix.c_str() || *end != '\0' || index < 0 || index > 1024 ||
      !std::isdigit(static_cast<unsigned char>(suffix[0]))) {
    ThrowDeviceError("device '" + text + "' has a malformed CUDA index: expected cuda:N with N a device number");
  }
  return static_cast<int>(index);
}

}  // namespace

torch::Device ParseDevice(const char* text, const char* name) {
  if (text == nullptr) ThrowInvalidArgument(std::string(name) + " is null");
  const std::string device(text);
  if (device == "cpu") return torch::Device(torch::kCPU);
  if (device == "cuda" || device.rfind("cuda:", 0) == 0) {
    const int index = device == "cuda" ? 0 : ParseCudaIndex(device, device.substr(5));
    const auto available = static_cast<int>(torch::cuda::device_count());
    if (available == 0) {
      ThrowDeviceError("device '" + device + "' requested but CUDA is not available (this libtorch " +
                       std::string(torch::cuda::is_available() ? "reports no device" : "has no usable CUDA") +
                       "); use \"cpu\"");
    }
    if (index >= available) {
      ThrowDeviceError("device '" + device + "' requested but only " + std::to_string(available) +
                       " CUDA device(s) exist (cuda:0..cuda:" + std::to_string(available - 1) + ")");
    }
    return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
  }
  ThrowDeviceError("unknown device '" + device + "': expected \"cpu\", \"cuda\" or \"cuda:N\"");
}

std::string DeviceName(const torch::Device& device) {
  if (device.is_cpu()) return "cpu";
  return "cuda:" + std::to_string(device.has_index() ? device.index() : 0);
}

}  // namespace grid
