#include "runtime_info.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>
#include <limits.h>
#include <stdlib.h>
#include <torch/version.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <sstream>

#include "errors.h"
#include "grid_native.h"
#include "torch_includes.h"

namespace grid {
namespace {

std::once_flag g_interop_threads_once;
std::atomic<int32_t> g_requested_threads{0};  // 0: never set, libtorch's per-thread default applies
thread_local int32_t t_applied_threads = 0;

// Looks a symbol up the way this library's own dependencies resolve it (its link map: libtorch, its BLAS and
// OpenMP), then in the global scope. The first matters when the library is dlopen'ed with RTLD_LOCAL, as .NET
// does, where RTLD_DEFAULT does not see libtorch's dependencies.
void* FindSymbol(const char* name) {
  static void* const self = [] {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&FindSymbol), &info) == 0 || info.dli_fname == nullptr) return (void*)nullptr;
    // RTLD_NOLOAD only takes a reference on the already loaded library; it is kept for the process lifetime.
    return dlopen(info.dli_fname, RTLD_LAZY | RTLD_NOLOAD);
  }();
  if (self != nullptr) {
    if (void* symbol = dlsym(self, name)) return symbol;
  }
  return dlsym(RTLD_DEFAULT, name);
}

// OpenBLAS runs its own thread pool beside libtorch's OpenMP one; keep both at the requested count. Looked up
// at run time so that the library also loads where libtorch uses another BLAS.
void SetBlasThreads(int32_t threads) {
  using SetThreads = void (*)(int);
  if (auto set = reinterpret_cast<SetThreads>(FindSymbol("openblas_set_num_threads"))) set(threads);
}

// OpenMP's thread count is a per-thread setting (omp_set_num_threads affects the calling thread only), so a
// count set on one thread must be re-applied on every thread that later computes.
void SetCurrentThreadOpenMpThreads(int32_t threads) {
  using SetThreads = void (*)(int);
  static const auto omp_set = reinterpret_cast<SetThreads>(FindSymbol("omp_set_num_threads"));
  if (omp_set != nullptr) {
    omp_set(threads);
  } else {
    at::set_num_threads(threads);
  }
}

std::string BlasConfig() {
  using GetConfig = char* (*)();
  if (auto get = reinterpret_cast<GetConfig>(FindSymbol("openblas_get_config"))) {
    if (const char* config = get()) return config;
  }
  return "";
}

std::string JsonString(const std::string& text) {
  std::ostringstream out;
  out << '"';
  for (const char c : text) {
    switch (c) {
      case '"':
        out << "\\\"";
        break;
      case '\\':
        out << "\\\\";
        break;
      case '\n':
        out << "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out << "\\u00"
              << "0123456789abcdef"[(c >> 4) & 0xf] << "0123456789abcdef"[c & 0xf];
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
  g_requested_threads.store(threads);
  t_applied_threads = threads;
}

void RuntimeInfo::PrepareCurrentThread() {
  at::internal::lazy_init_num_threads();  // libtorch's default for a thread it has not seen yet
  const int32_t requested = g_requested_threads.load(std::memory_order_relaxed);
  if (requested > 0 && t_applied_threads != requested) {
    SetCurrentThreadOpenMpThreads(requested);
    t_applied_threads = requested;
  }
}

int32_t RuntimeInfo::GetNumThreads() {
  PrepareCurrentThread();
  return at::get_num_threads();
}

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
  // The library that libtorch's BLAS calls bind to: whoever defines sgemm_ first in its lookup scope.
  Dl_info info{};
  if (void* sgemm = FindSymbol("sgemm_"); sgemm != nullptr && dladdr(sgemm, &info) && info.dli_fname) {
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
       << ",\"mkldnn\":" << (at::hasMKLDNN() ? "true" : "false") << ",\"threads\":" << GetNumThreads()
       << ",\"interop_threads\":" << at::get_num_interop_threads() << ",\"abi\":" << GRID_NATIVE_ABI_VERSION << "}";
  return json.str();
}

}  // namespace grid
