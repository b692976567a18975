// Failures inside the library are C++ exceptions; at the C ABI they become a GridStatus plus a thread-local
// message (the pattern of TorchSharp's LibTorchSharp/Utils.h). GRID_CATCH wraps the body of every export.
#pragma once

#include <stdexcept>
#include <string>

#include "grid_native.h"

namespace grid {

// An error whose status is known at the point it is thrown (bad argument, malformed bytes, device problem).
class GridError : public std::runtime_error {
 public:
  GridError(GridStatus status, const std::string& message) : std::runtime_error(message), status_(status) {}
  GridStatus status() const noexcept { return status_; }

 private:
  GridStatus status_;
};

[[noreturn]] void ThrowInvalidArgument(const std::string& message);
[[noreturn]] void ThrowInvalidData(const std::string& message);
[[noreturn]] void ThrowDeviceError(const std::string& message);

// Thread-local message of the last failure on this thread ("" after a success).
const char* LastErrorMessage() noexcept;
void ClearLastError() noexcept;
// Maps the exception being handled (call only inside a catch block) to a status and records its message.
int32_t StatusFromCurrentException() noexcept;

}  // namespace grid

// Body of an export returning int32_t: GRID_OK when the body completes, otherwise the mapped status.
#define GRID_CATCH(...)                          \
  try {                                          \
    ::grid::ClearLastError();                    \
    __VA_ARGS__;                                 \
    return GRID_OK;                              \
  } catch (...) {                                \
    return ::grid::StatusFromCurrentException(); \
  }
