#pragma once
// A cache-line prefetch hint that the compiler keeps.
// GCC's pure-const pass sees a small inline function whose only statement is __builtin_prefetch as "pure" (the
// builtin has no visible effect) and then deletes the call as dead before inlining it: with GCC 12 -O3 the
// Driver's prefetch of the next requests' key-hash memo slots compiled to nothing (KeyHashMemo::prefetch was
// found "looping pure"), and that memo load was the largest single stall of the flagship. A volatile asm is a
// side effect, so neither the hint nor the functions wrapping it can be removed. No behaviour: hints only.
namespace cachelab {

inline void prefetch_line(const void* p) {
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  asm volatile("prefetcht0 %0" : : "m"(*static_cast<const char*>(p)));
#else
  __builtin_prefetch(p);
#endif
}

}  // namespace cachelab
