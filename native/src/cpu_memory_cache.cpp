#include "cpu_memory_cache.h"

#include <c10/core/CPUAllocator.h>
#include <c10/core/impl/alloc_cpu.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace grid {
namespace {

// From 64 KB: in a .NET process glibc hands blocks of this size back to the kernel on free (mmap/trim), so every call
// page-faulted its activations again; caching only blocks of 1 MB and up left a 128x128 single-image encode at 70
// images/s against 170 with this bound (./grid bench codec --threads 1 --batches 1 --sizes 128).
constexpr size_t kMinCachedBytes = size_t{1} << 16;
constexpr size_t kDefaultLimitMegabytes = 1024;

thread_local int t_scope_depth = 0;

size_t LimitFromEnvironment() {
  const char* text = std::getenv("GRID_NATIVE_CPU_CACHE_MB");
  if (text == nullptr || *text == '\0') return kDefaultLimitMegabytes << 20;
  char* end = nullptr;
  const unsigned long long megabytes = std::strtoull(text, &end, 10);
  return end != nullptr && *end == '\0' ? static_cast<size_t>(megabytes) << 20 : kDefaultLimitMegabytes << 20;
}

}  // namespace

CpuMemoryCache& CpuMemoryCache::Instance() {
  // Never destroyed: tensors may be freed during process exit, after static destructors ran.
  static CpuMemoryCache* const instance = [] {
    auto* cache = new CpuMemoryCache();
    cache->limit_bytes_ = LimitFromEnvironment();
    c10::SetCPUAllocator(cache, /*priority=*/1);
    return cache;
  }();
  return *instance;
}

CpuMemoryCache::Scope::Scope() {
  Instance();
  ++t_scope_depth;
}

CpuMemoryCache::Scope::~Scope() { --t_scope_depth; }

c10::DataPtr CpuMemoryCache::allocate(size_t bytes) {
  return static_cast<const CpuMemoryCache*>(this)->allocate(bytes);
}

c10::DataPtr CpuMemoryCache::allocate(size_t bytes) const {
  const c10::Device device(c10::DeviceType::CPU);
  if (bytes == 0) return {nullptr, nullptr, &Delete, device};
  if (t_scope_depth > 0 && bytes >= kMinCachedBytes && limit_bytes_ > 0) {
    auto* self = const_cast<CpuMemoryCache*>(this);
    std::lock_guard<std::mutex> lock(mutex_);
    // Best fit among cached blocks no more than a quarter larger than asked for.
    const auto candidate = self->free_.lower_bound(bytes);
    if (candidate != self->free_.end() && candidate->first <= bytes + bytes / 4) {
      void* data = candidate->second;
      self->cached_in_use_.emplace(data, candidate->first);
      self->free_bytes_ -= candidate->first;
      self->free_.erase(candidate);
      return {data, data, &Delete, device};
    }
    void* data = c10::alloc_cpu(bytes);
    self->cached_in_use_.emplace(data, bytes);
    return {data, data, &Delete, device};
  }
  void* data = c10::alloc_cpu(bytes);
  return {data, data, &Delete, device};
}

void CpuMemoryCache::copy_data(void* destination, const void* source, size_t count) const {
  std::memcpy(destination, source, count);
}

c10::DeleterFnPtr CpuMemoryCache::raw_deleter() const { return &Delete; }

void CpuMemoryCache::Delete(void* data) {
  if (data != nullptr) Instance().Release(data);
}

void CpuMemoryCache::Release(void* data) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto block = cached_in_use_.find(data);
    if (block != cached_in_use_.end()) {
      const size_t capacity = block->second;
      cached_in_use_.erase(block);
      if (free_bytes_ + capacity <= limit_bytes_) {
        free_.emplace(capacity, data);
        free_bytes_ += capacity;
        return;
      }
    }
  }
  c10::free_cpu(data);  // not from the cache (or the cache is full): as libtorch's default allocator does
}

}  // namespace grid
