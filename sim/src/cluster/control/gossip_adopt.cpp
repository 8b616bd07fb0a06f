// The adoption pass of clusterProcessGossipSection (§3.4; declared in cachelab/cluster/control/hot_word.hpp), split
// out of bus.cpp so that it can be tested against adopt_gossip_pongs_reference (gossip_adopt_reference.cpp).
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "cachelab/cluster/control/hot_word.hpp"

namespace cachelab::control {

void adopt_gossip_pongs(uint32_t* hot, const GossipEntry* begin, const GossipEntry* end, int64_t limit_s) {
  // Adopt when the entry is healthy, we have no ping pending and no reports, pong_s <= floor((now + 500 ms) / 1 s)
  // and pong_s > floor(ours in seconds). The entry is pong_s * 16 ticks with clear low bits; `w | 0x3FF` is
  // floor(ours) * 16 + 15 ticks with all low bits set. An entry about me is never adopted: my word about myself
  // always has kHotPending.
  const int32_t limit_word = static_cast<int32_t>(hot_pack_ticks(limit_s * kHotTicksPerSecond) | 0x3Fu);
  const GossipEntry* p = begin;
#if defined(__SSE2__)
  // Four entries at a time: the entries are about distinct nodes, so the four words are independent.
  const __m128i limit_v = _mm_set1_epi32(limit_word);
  const __m128i entry_failing = _mm_set1_epi32(kFlagPfail | kFlagFail);
  const __m128i no_adopt = _mm_set1_epi32(static_cast<int>(kHotPending | kHotReports));
  const __m128i low_bits = _mm_set1_epi32(0x3FF);
  const __m128i keep = _mm_set1_epi32(static_cast<int>(kHotFlags | kHotPending | kHotReports | kHotLinkDown));
  const __m128i adopted_bit = _mm_set1_epi32(static_cast<int>(kHotAdopted));
  const __m128i zero = _mm_setzero_si128();
  for (; end - p >= 4; p += 4) {
    const uint32_t j0 = p[0].node, j1 = p[1].node, j2 = p[2].node, j3 = p[3].node;
    const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));      // node0 word0 node1 word1
    const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 2));  // node2 word2 node3 word3
    const __m128i e = _mm_unpacklo_epi64(_mm_shuffle_epi32(lo, _MM_SHUFFLE(3, 1, 3, 1)),
                                         _mm_shuffle_epi32(hi, _MM_SHUFFLE(3, 1, 3, 1)));  // word0..word3
    const __m128i w = _mm_setr_epi32(static_cast<int>(hot[j0]), static_cast<int>(hot[j1]), static_cast<int>(hot[j2]),
                                     static_cast<int>(hot[j3]));
    const __m128i healthy =
        _mm_cmpeq_epi32(_mm_or_si128(_mm_and_si128(e, entry_failing), _mm_and_si128(w, no_adopt)), zero);
    const __m128i newer = _mm_cmpgt_epi32(e, _mm_or_si128(w, low_bits));
    const __m128i adopt = _mm_andnot_si128(_mm_cmpgt_epi32(e, limit_v), _mm_and_si128(healthy, newer));
    const __m128i adopted = _mm_or_si128(_mm_or_si128(_mm_and_si128(w, keep), adopted_bit), e);
    alignas(16) uint32_t r[4];
    _mm_store_si128(reinterpret_cast<__m128i*>(r),
                    _mm_or_si128(_mm_and_si128(adopt, adopted), _mm_andnot_si128(adopt, w)));
    hot[j0] = r[0];
    hot[j1] = r[1];
    hot[j2] = r[2];
    hot[j3] = r[3];
  }
#endif
  for (; p != end; ++p) {
    const uint32_t j = p->node;
    const uint32_t e = p->word;
    const uint32_t w = hot[j];
    const int32_t entry = static_cast<int32_t>(e);
    // About a third of the entries are adopted, at random: a mask, not a branch.
    const uint32_t adopt = static_cast<uint32_t>((e & (kFlagPfail | kFlagFail)) == 0) &
                           static_cast<uint32_t>((w & (kHotPending | kHotReports)) == 0) &
                           static_cast<uint32_t>(entry <= limit_word) &
                           static_cast<uint32_t>(entry > static_cast<int32_t>(w | 0x3FFu));
    const uint32_t adopted = (w & (kHotFlags | kHotPending | kHotReports | kHotLinkDown)) | kHotAdopted | e;
    hot[j] = w ^ ((w ^ adopted) & (0u - adopt));
  }
}

}  // namespace cachelab::control
