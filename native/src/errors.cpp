#include "errors.h"

#include <c10/util/Exception.h>

#include <new>

namespace grid {
namespace {

thread_local std::string t_last_error;

void SetLastError(const char* prefix, const char* message) noexcept {
  try {
    t_last_error.assign(prefix);
    t_last_error.append(message);
  } catch (...) {
    // Out of memory while recording the message: keep whatever fits (possibly nothing); the status still tells.
  }
}

}  // namespace

void ThrowInvalidArgument(const std::string& message) { throw GridError(GRID_ERROR_INVALID_ARGUMENT, message); }
void ThrowInvalidData(const std::string& message) { throw GridError(GRID_ERROR_INVALID_DATA, message); }
void ThrowDeviceError(const std::string& message) { throw GridError(GRID_ERROR_DEVICE, message); }

const char* LastErrorMessage() noexcept { return t_last_error.c_str(); }

void ClearLastError() noexcept { t_last_error.clear(); }

int32_t StatusFromCurrentException() noexcept {
  try {
    throw;
  } catch (const GridError& error) {
    SetLastError("", error.what());
    return error.status();
  } catch (const c10::OutOfMemoryError& error) {
    SetLastError("out of memory: ", error.what_without_backtrace());
    return GRID_ERROR_OUT_OF_MEMORY;
  } catch (const c10::Error& error) {
    SetLastError("libtorch: ", error.what_without_backtrace());
    return GRID_ERROR_INTERNAL;
  } catch (const std::bad_alloc&) {
    SetLastError("out of memory", "");
    return GRID_ERROR_OUT_OF_MEMORY;
  } catch (const std::exception& error) {
    SetLastError("internal error: ", error.what());
    return GRID_ERROR_INTERNAL;
  } catch (...) {
    SetLastError("internal error: unknown exception", "");
    return GRID_ERROR_INTERNAL;
  }
}

}  // namespace grid
