#include "runtime_info.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>

#include <fstream>
#include <mutex>
#include <sstream>

#include "errors.h"
#include "grid_native.h"
#include "torch_includes.h"

#include <ATen/Parallel.h>
#include <torch/version.h>

namespace grid {
namespace {

std::once_flag g_interop_threads_once;

// OpenBLAS runs its own thread pool beside libtorch's OpenMP one; keep both at the requested count. Looked up
// at run time so that the library also loads where libtorch uses another BLAS.
void SetBlasThreads(int32_t threads) {
  using SetThreads = void (*)(int);
  if (auto set = reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"))) set(threads);
}

std::string BlasConfig() {
  using GetConfig = char* (*)();
  if (auto get = reinterpret_cast<GetConfig>(dlsym(RTLD_DEFAULT, "openblas_get_config"))) {
    if (const char* config = get()) return config;
  }
  return "";
}

std::string JsonString(const std::string& text) {
  std::ostringstream out;
  out << '"';
  for (const char c : text) {
    switch (c) {
      case '"': out << "\\\""; break;
      case '\\': out << "\\\\"; break;
      case '\n': out << "\\n"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out << "\\u00" << "0123456789abcdef"[(c >> 4) & 0xf] << "0123456789abcdef"[c & 0xf];
        } else {
          out << c;
        }
    }
  }
  out << '"';
  return out.str();
}

}  // namespace

void RuntimeInfo::SetNumThreads(int32_t threads) {
  if (threads < 1) ThrowInvalidArgument("n (threads) must be at least 1, got " + std::to_string(threads));
  std::call_once(g_interop_threads_once, [threads] {
    // Only possible before libtorch starts its inter-op pool; if something already did, keep its setting.
    try {
      at::set_num_interop_threads(threads);
    } catch (const c10::Error&) {
    }
  });
  at::set_num_threads(threads);
  SetBlasThreads(threads);
}

int32_t RuntimeInfo::GetNumThreads() { return at::get_num_threads(); }

int32_t RuntimeInfo::CudaDeviceCount() { return static_cast<int32_t>(torch::cuda::device_count()); }

std::string RuntimeInfo::DetectBlas(std::string* library) {
  const auto classify = [library](const std::string& path) -> std::string {
    if (library) *library = path;
    const std::string file = path.substr(path.rfind('/') + 1);
    if (path.find("openblas") != std::string::npos) return "openblas";
    if (file.find("libmkl") != std::string::npos) return "mkl";
    if (file.find("libblis") != std::string::npos) return "blis";
    if (file.rfind("libblas.so", 0) == 0) return "reference";
    return "unknown";
  };
  // The library that libtorch's BLAS calls bind to: whoever defines sgemm_ first in the global scope.
  Dl_info info{};
  if (void* sgemm = dlsym(RTLD_DEFAULT, "sgemm_"); sgemm != nullptr && dladdr(sgemm, &info) && info.dli_fname) {
    char resolved[PATH_MAX];
    return classify(realpath(info.dli_fname, resolved) ? resolved : info.dli_fname);
  }
  // No Fortran BLAS symbol in scope (e.g. a statically linked MKL): look at what is mapped.
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    const size_t slash = line.find('/');
    if (slash == std::string::npos) continue;
    const std::string path = line.substr(slash);
    const std::string kind = classify(path);
    if (kind != "unknown") return kind;
  }
  if (library) library->clear();
  return "unknown";
}

std::string RuntimeInfo::ToJson() {
  std::string blas_library;
  const std::string blas = DetectBlas(&blas_library);
  std::ostringstream json;
  json << "{\"torch\":" << JsonString(TORCH_VERSION) << ",\"cuda\":" << (torch::cuda::is_available() ? "true" : "false")
       << ",\"cuda_devices\":" << CudaDeviceCount() << ",\"blas\":" << JsonString(blas)
       << ",\"blas_library\":" << JsonString(blas_library) << ",\"blas_config\":" << JsonString(BlasConfig())
       << ",\"mkldnn\":" << (at::hasMKLDNN() ? "true" : "false") << ",\"threads\":" << at::get_num_threads()
       << ",\"interop_threads\":" << at::get_num_interop_threads() << ",\"abi\":" << GRID_NATIVE_ABI_VERSION << "}";
  return json.str();
}

}  // namespace grid
