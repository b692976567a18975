// libtorch's CPU allocator, replaced by one that keeps large freed blocks for reuse while a Scope is open on
// the allocating thread. Large buffers otherwise come straight from mmap and go back to the kernel when freed,
// so every call pays first-touch page faults on its activations again: on the VMs measured here that doubled
// the time of a 64 MB matrix product. PyTorch's CUDA allocator caches for the same reason.
//
// Outside a Scope (other libtorch users in the process, OpenMP worker threads) allocation behaves as libtorch's
// default (c10::alloc_cpu / c10::free_cpu). Cached free memory is bounded by GRID_NATIVE_CPU_CACHE_MB (default
// 1024; 0 disables caching).
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <unordered_map>

#include "torch_includes.h"

namespace grid {

class CpuMemoryCache : public c10::Allocator {
 public:
  // Open on a thread for the duration of a computing call: its large allocations come from, and return to, the
  // cache. Installs the allocator on first use.
  class Scope {
   public:
    Scope();
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
  };

  // libtorch 1.x declares allocate() const, 2.x non-const (and adds copy_data): both are provided, so that
  // whichever the base class declares is overridden.
  c10::DataPtr allocate(size_t bytes) const;
  c10::DataPtr allocate(size_t bytes);
  void copy_data(void* destination, const void* source, size_t count) const;
  // Raw allocations (oneDNN's scratch memory goes through raw_allocate) use the same deleter.
  c10::DeleterFnPtr raw_deleter() const;

 private:
  static CpuMemoryCache& Instance();
  static void Delete(void* data);
  void Release(void* data);

  mutable std::mutex mutex_;
  std::unordered_map<void*, size_t> cached_in_use_;  // blocks handed out from the cache: data -> capacity
  std::multimap<size_t, void*> free_;                // cached free blocks by capacity
  size_t free_bytes_ = 0;
  size_t limit_bytes_ = 0;
};

}  // namespace grid
