#pragma once
// An allocator for the large per-key arrays that the request path reads at random (a node's key index and
// entries, the key-hash memo): from 1 MB up it maps whole 2 MB-aligned blocks and asks Linux for transparent huge
// pages (MADV_HUGEPAGE; the usual THP setting, "madvise", gives them only to regions that ask). The flagship's
// per-key state is ~30 MB: in 4 KB pages nearly every lookup missed the TLB, and the page walks (expensive in a
// virtual machine) showed up as stalls on the prefetch instructions themselves. With 2 MB pages the same state is
// ~16 TLB entries. Smaller arrays, and other platforms, use std::allocator. No behaviour: memory placement only.
// Memory: a block is rounded up to a multiple of 2 MB of address space, but pages are only touched as used.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace cachelab {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

template <class T>
struct HugePageAllocator {
  using value_type = T;
  static constexpr size_t kMinBytes = size_t{1} << 20;  // below this the TLB reach of 4 KB pages is not the issue

  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}

  T* allocate(size_t n) {
#if defined(__linux__)
    const size_t bytes = n * sizeof(T);
    if (bytes >= kMinBytes) {
      const size_t len = round_up(bytes);
      // Over-map by one huge page and trim both ends, so the block starts on a 2 MB boundary.
      void* raw = mmap(nullptr, len + kHugePageBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      if (raw == MAP_FAILED) throw std::bad_alloc();
      const auto start = reinterpret_cast<uintptr_t>(raw);
      const uintptr_t aligned = (start + kHugePageBytes - 1) & ~(uintptr_t{kHugePageBytes} - 1);
      if (aligned > start) munmap(raw, aligned - start);
      const uintptr_t end = start + len + kHugePageBytes;
      if (end > aligned + len) munmap(reinterpret_cast<void*>(aligned + len), end - (aligned + len));
      madvise(reinterpret_cast<void*>(aligned), len, MADV_HUGEPAGE);  // a hint: failure leaves 4 KB pages
      return reinterpret_cast<T*>(aligned);
    }
#endif
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, size_t n) noexcept {
#if defined(__linux__)
    if (n * sizeof(T) >= kMinBytes) {
      munmap(p, round_up(n * sizeof(T)));
      return;
    }
#endif
    std::allocator<T>().deallocate(p, n);
  }
  template <class U>
  bool operator==(const HugePageAllocator<U>&) const noexcept {
    return true;
  }

 private:
  static size_t round_up(size_t bytes) { return (bytes + kHugePageBytes - 1) & ~(kHugePageBytes - 1); }
};

template <class T>
using HugeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace cachelab
