#include "models/lut_interpolation.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define NPUSIM_HAVE_X86 1
#endif

namespace npusim {

namespace {

uint32_t pack_pair(int16_t lo, int16_t hi) {
  return static_cast<uint32_t>(static_cast<uint16_t>(lo)) | (static_cast<uint32_t>(static_cast<uint16_t>(hi)) << 16);
}

// ((2^shift - w) * lo + w * hi + 2^(shift-1)) >> shift, with >> arithmetic (floor).
inline int16_t blend(uint32_t pair, uint32_t w, int shift) {
  const int32_t lo = static_cast<int16_t>(pair & 0xFFFF);
  const int32_t hi = static_cast<int16_t>(pair >> 16);
  const int32_t full = int32_t{1} << shift;
  const int32_t half = full >> 1;
  const int32_t sum = (full - static_cast<int32_t>(w)) * lo + static_cast<int32_t>(w) * hi + half;
  return static_cast<int16_t>(sum >> shift);
}

}  // namespace

PackedLutTables PackedLutTables::pack(const std::vector<int16_t>& base, const std::vector<int16_t>& dual,
                                      int index_bits) {
  PackedLutTables t;
  t.base_shift = 16 - index_bits;
  t.dual_shift = 12 - index_bits;
  t.base_pairs.resize(base.size() - 1);
  for (size_t j = 0; j + 1 < base.size(); ++j) t.base_pairs[j] = pack_pair(base[j], base[j + 1]);
  if (!dual.empty()) {
    t.dual_pairs.resize(dual.size() - 1);
    for (size_t k = 0; k + 1 < dual.size(); ++k) t.dual_pairs[k] = pack_pair(dual[k], dual[k + 1]);
  }
  return t;
}

int16_t interpolate_one(const PackedLutTables& t, uint16_t code) {
  const uint32_t u = code;
  if (!t.dual_pairs.empty() && (u >> t.base_shift) == 0) {
    return blend(t.dual_pairs[u >> t.dual_shift], u & ((1u << t.dual_shift) - 1), t.dual_shift);
  }
  return blend(t.base_pairs[u >> t.base_shift], u & ((1u << t.base_shift) - 1), t.base_shift);
}

void interpolate_batch_scalar(const PackedLutTables& t, const uint16_t* codes, int16_t* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = interpolate_one(t, codes[i]);
}

#ifdef NPUSIM_HAVE_X86

namespace {

// Eight lookups on 32-bit lanes: gather the (L[j], L[j+1]) pair, then one multiply-add of the pair with
// the weights (2^shift - w, w) does the interpolation.
__attribute__((target("avx2"))) inline __m256i blend8(const uint32_t* pairs, __m256i u, int shift) {
  const __m128i count = _mm_cvtsi32_si128(shift);
  const __m256i full = _mm256_set1_epi32(1 << shift);
  const __m256i index = _mm256_srl_epi32(u, count);
  const __m256i w = _mm256_and_si256(u, _mm256_sub_epi32(full, _mm256_set1_epi32(1)));
  const __m256i weights = _mm256_or_si256(_mm256_sub_epi32(full, w), _mm256_slli_epi32(w, 16));
  const __m256i gathered = _mm256_i32gather_epi32(reinterpret_cast<const int*>(pairs), index, 4);
  const __m256i sum = _mm256_add_epi32(_mm256_madd_epi16(gathered, weights), _mm256_srli_epi32(full, 1));
  return _mm256_sra_epi32(sum, count);
}

__attribute__((target("avx2"))) void interpolate_batch_avx2(const PackedLutTables& t, const uint16_t* codes,
                                                            int16_t* out, size_t n) {
  const uint32_t* base = t.base_pairs.data();
  const bool has_dual = !t.dual_pairs.empty();
  // Lanes with u < 2^base_shift take the dual-range table; min() keeps the other lanes' gather in bounds.
  const __m256i first_interval_codes = _mm256_set1_epi32(1 << t.base_shift);
  const __m256i last_dual_code = _mm256_set1_epi32((16 << t.dual_shift) - 1);
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256i raw = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(codes + i));
    const __m256i u_lo = _mm256_cvtepu16_epi32(_mm256_castsi256_si128(raw));
    const __m256i u_hi = _mm256_cvtepu16_epi32(_mm256_extracti128_si256(raw, 1));
    __m256i y_lo = blend8(base, u_lo, t.base_shift);
    __m256i y_hi = blend8(base, u_hi, t.base_shift);
    if (has_dual) {
      const __m256i in_lo = _mm256_cmpgt_epi32(first_interval_codes, u_lo);
      const __m256i in_hi = _mm256_cmpgt_epi32(first_interval_codes, u_hi);
      if (!_mm256_testz_si256(_mm256_or_si256(in_lo, in_hi), _mm256_or_si256(in_lo, in_hi))) {
        const __m256i d_lo = blend8(t.dual_pairs.data(), _mm256_min_epu32(u_lo, last_dual_code), t.dual_shift);
        const __m256i d_hi = blend8(t.dual_pairs.data(), _mm256_min_epu32(u_hi, last_dual_code), t.dual_shift);
        y_lo = _mm256_blendv_epi8(y_lo, d_lo, in_lo);
        y_hi = _mm256_blendv_epi8(y_hi, d_hi, in_hi);
      }
    }
    // packs interleaves 128-bit halves; the permute puts the 16 results back in order.
    const __m256i packed = _mm256_permute4x64_epi64(_mm256_packs_epi32(y_lo, y_hi), 0xD8);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + i), packed);
  }
  interpolate_batch_scalar(t, codes + i, out + i, n - i);
}

}  // namespace

bool lut_simd_available() {
  static const bool available = __builtin_cpu_supports("avx2");
  return available;
}

void interpolate_batch(const PackedLutTables& t, const uint16_t* codes, int16_t* out, size_t n) {
  if (lut_simd_available()) {
    interpolate_batch_avx2(t, codes, out, n);
  } else {
    interpolate_batch_scalar(t, codes, out, n);
  }
}

#else

bool lut_simd_available() { return false; }

void interpolate_batch(const PackedLutTables& t, const uint16_t* codes, int16_t* out, size_t n) {
  interpolate_batch_scalar(t, codes, out, n);
}

#endif

}  // namespace npusim
