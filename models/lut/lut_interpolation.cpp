#include "models/lut/lut_interpolation.hpp"

#include "common/error.hpp"

#if defined(__x86_64__)
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

void interpolate_batch_scalar(const PackedLutTables& t, const uint16_t* codes, int16_t* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = interpolate_one(t, codes[i]);
}

}  // namespace

PackedLutTables PackedLutTables::pack(const std::vector<int16_t>& base, const std::vector<int16_t>& dual,
                                      int index_bits) {
  PackedLutTables t;
  t.base = base;
  t.dual = dual;
  t.index_bits = index_bits;
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

std::string_view lut_kernel_name(LutKernel kernel) {
  switch (kernel) {
    case LutKernel::scalar: return "scalar";
    case LutKernel::avx2: return "avx2";
    case LutKernel::avx512: return "avx512";
  }
  return "?";
}

#ifdef NPUSIM_HAVE_X86

namespace {

// ---- AVX2: gather the (L[j], L[j+1]) pair per lane; one multiply-add with (2^shift - w, w) interpolates.

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
  // (Only with a dual table: above 12 index bits dual_shift is negative and there is none.)
  const __m256i last_dual_code = _mm256_set1_epi32(has_dual ? (16 << t.dual_shift) - 1 : 0);
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

// ---- AVX-512BW: a 256-entry table is eight registers of 32 int16; two-source permutes pick from 64
// entries at a time and bits 6 and 7 of the index choose among the four results. No memory gathers
// (which microcode mitigations make slow on several Intel generations).

struct Avx512Tables {
  __m512i lo[8];     // L[0..255]
  __m512i hi[8];     // L[1..256], or the steps L[j+1] - L[j] when every step fits in 16 bits
  __m512i dual_lo;   // D[0..15]
  __m512i dual_hi;   // D[1..16]
  bool hi_are_steps = false;
  bool dual_hi_are_steps = false;
};

// steps[j] = table[j + 1] - table[j]; false when one does not fit in 16 bits.
bool steps_of(const std::vector<int16_t>& table, std::vector<int16_t>& steps) {
  steps.resize(table.size() - 1);
  bool fit = true;
  for (size_t j = 0; j + 1 < table.size(); ++j) {
    const int32_t step = table[j + 1] - table[j];
    fit = fit && step >= -32768 && step <= 32767;
    steps[j] = static_cast<int16_t>(step);
  }
  return fit;
}

__attribute__((target("avx512f,avx512bw"))) inline __m512i load_entries(const std::vector<int16_t>& table,
                                                                         size_t first, size_t count) {
  alignas(64) int16_t lanes[32] = {};
  for (size_t k = 0; k < 32 && first + k < count; ++k) lanes[k] = table[first + k];
  return _mm512_load_si512(lanes);
}

__attribute__((target("avx512f,avx512bw"))) inline __m512i select256(const __m512i* table, __m512i index) {
  const __m512i r0 = _mm512_permutex2var_epi16(table[0], index, table[1]);
  const __m512i r1 = _mm512_permutex2var_epi16(table[2], index, table[3]);
  const __m512i r2 = _mm512_permutex2var_epi16(table[4], index, table[5]);
  const __m512i r3 = _mm512_permutex2var_epi16(table[6], index, table[7]);
  const __mmask32 bit6 = _mm512_test_epi16_mask(index, _mm512_set1_epi16(64));
  const __mmask32 bit7 = _mm512_test_epi16_mask(index, _mm512_set1_epi16(128));
  return _mm512_mask_blend_epi16(bit7, _mm512_mask_blend_epi16(bit6, r0, r1), _mm512_mask_blend_epi16(bit6, r2, r3));
}

// ((2^shift - w) * lo + w * hi + 2^(shift-1)) >> shift on 32 int16 lanes, through 32-bit products.
__attribute__((target("avx512f,avx512bw"))) inline __m512i blend32(__m512i lo, __m512i hi, __m512i w, int shift) {
  const __m128i count = _mm_cvtsi32_si128(shift);
  const __m512i full = _mm512_set1_epi16(static_cast<int16_t>(1 << shift));
  const __m512i half = _mm512_set1_epi32((1 << shift) >> 1);
  const __m512i w_lo = _mm512_sub_epi16(full, w);
  // unpacklo/unpackhi and packs work per 128-bit lane in the same pattern, so the order comes back intact.
  const __m512i sum_a =
      _mm512_add_epi32(_mm512_madd_epi16(_mm512_unpacklo_epi16(lo, hi), _mm512_unpacklo_epi16(w_lo, w)), half);
  const __m512i sum_b =
      _mm512_add_epi32(_mm512_madd_epi16(_mm512_unpackhi_epi16(lo, hi), _mm512_unpackhi_epi16(w_lo, w)), half);
  return _mm512_packs_epi32(_mm512_sra_epi32(sum_a, count), _mm512_sra_epi32(sum_b, count));
}

// The same value as blend32 in 16-bit lanes, when step = hi - lo fits in int16:
// ((2^s - w) lo + w hi + 2^(s-1)) >> s = lo + ((w * step + 2^(s-1)) >> s), and the 32-bit product
// w * step = high * 2^16 + low (low unsigned) gives (w * step + 2^(s-1)) >> s =
// high * 2^(16-s) + ((low + 2^(s-1)) >> s); avg_epu16 adds without overflowing 16 bits.
// The result lies between lo and hi, so wrap-around 16-bit arithmetic is exact. No unpacks: the
// permutes are left as the only shuffle-port work.
__attribute__((target("avx512f,avx512bw"))) inline __m512i blend32_steps(__m512i lo, __m512i step, __m512i w,
                                                                          int shift) {
  const __m512i high = _mm512_mulhi_epi16(w, step);
  const __m512i low = _mm512_mullo_epi16(w, step);
  const __m512i rounded_low = _mm512_srl_epi16(_mm512_avg_epu16(low, _mm512_set1_epi16(static_cast<int16_t>(((1 << shift) >> 1) - 1))),
                                               _mm_cvtsi32_si128(shift - 1));
  const __m512i scaled_high = _mm512_sll_epi16(high, _mm_cvtsi32_si128(16 - shift));
  return _mm512_add_epi16(lo, _mm512_add_epi16(scaled_high, rounded_low));
}

__attribute__((target("avx512f,avx512bw"))) void interpolate_batch_avx512(const PackedLutTables& t,
                                                                          const uint16_t* codes, int16_t* out,
                                                                          size_t n) {
  Avx512Tables r;
  const size_t entries = t.base.size();
  std::vector<int16_t> steps;
  r.hi_are_steps = steps_of(t.base, steps);
  for (size_t k = 0; k < 8; ++k) {
    r.lo[k] = load_entries(t.base, 32 * k, entries - 1);
    r.hi[k] = r.hi_are_steps ? load_entries(steps, 32 * k, steps.size()) : load_entries(t.base, 32 * k + 1, entries);
  }
  const bool has_dual = !t.dual.empty();
  if (has_dual) {
    std::vector<int16_t> dual_steps;
    r.dual_hi_are_steps = steps_of(t.dual, dual_steps);
    r.dual_lo = load_entries(t.dual, 0, t.dual.size() - 1);
    r.dual_hi = r.dual_hi_are_steps ? load_entries(dual_steps, 0, dual_steps.size()) : load_entries(t.dual, 1, t.dual.size());
  }
  const __m128i base_count = _mm_cvtsi32_si128(t.base_shift);
  const __m128i dual_count = _mm_cvtsi32_si128(t.dual_shift);
  const __m512i base_mask = _mm512_set1_epi16(static_cast<int16_t>((1 << t.base_shift) - 1));
  const __m512i dual_mask = _mm512_set1_epi16(static_cast<int16_t>((1 << t.dual_shift) - 1));
  const __m512i first_interval_codes = _mm512_set1_epi16(static_cast<int16_t>(1 << t.base_shift));
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m512i u = _mm512_loadu_si512(codes + i);
    const __m512i j = _mm512_srl_epi16(u, base_count);
    const __m512i w = _mm512_and_si512(u, base_mask);
    __m512i y = r.hi_are_steps ? blend32_steps(select256(r.lo, j), select256(r.hi, j), w, t.base_shift)
                               : blend32(select256(r.lo, j), select256(r.hi, j), w, t.base_shift);
    if (has_dual) {
      const __mmask32 in_first = _mm512_cmplt_epu16_mask(u, first_interval_codes);
      if (in_first != 0) {
        const __m512i k = _mm512_srl_epi16(u, dual_count);  // lanes outside interval 0 are masked off below
        const __m512i lo = _mm512_permutexvar_epi16(k, r.dual_lo), hi = _mm512_permutexvar_epi16(k, r.dual_hi);
        const __m512i w = _mm512_and_si512(u, dual_mask);
        const __m512i d = r.dual_hi_are_steps ? blend32_steps(lo, hi, w, t.dual_shift) : blend32(lo, hi, w, t.dual_shift);
        y = _mm512_mask_blend_epi16(in_first, y, d);
      }
    }
    _mm512_storeu_si512(out + i, y);
  }
  interpolate_batch_scalar(t, codes + i, out + i, n - i);
}

}  // namespace

bool lut_kernel_supported(LutKernel kernel, int index_bits) {
  static const bool has_avx2 = __builtin_cpu_supports("avx2");
  static const bool has_avx512bw = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
  switch (kernel) {
    case LutKernel::scalar: return true;
    case LutKernel::avx2: return has_avx2;
    case LutKernel::avx512: return has_avx512bw && index_bits <= 8;
  }
  return false;
}

void interpolate_batch_with(LutKernel kernel, const PackedLutTables& t, const uint16_t* codes, int16_t* out,
                            size_t n) {
  if (!lut_kernel_supported(kernel, t.index_bits)) {
    throw Error("LUT kernel " + std::string(lut_kernel_name(kernel)) + " is not supported here for " +
                std::to_string(t.index_bits) + "-bit tables");
  }
  switch (kernel) {
    case LutKernel::scalar: interpolate_batch_scalar(t, codes, out, n); break;
    case LutKernel::avx2: interpolate_batch_avx2(t, codes, out, n); break;
    case LutKernel::avx512: interpolate_batch_avx512(t, codes, out, n); break;
  }
}

#else

bool lut_kernel_supported(LutKernel kernel, int) { return kernel == LutKernel::scalar; }

void interpolate_batch_with(LutKernel kernel, const PackedLutTables& t, const uint16_t* codes, int16_t* out,
                            size_t n) {
  if (kernel != LutKernel::scalar) throw Error("only the scalar LUT kernel exists on this CPU");
  interpolate_batch_scalar(t, codes, out, n);
}

#endif

LutKernel best_lut_kernel(int index_bits) {
  if (lut_kernel_supported(LutKernel::avx512, index_bits)) return LutKernel::avx512;
  if (lut_kernel_supported(LutKernel::avx2, index_bits)) return LutKernel::avx2;
  return LutKernel::scalar;
}

void interpolate_batch(const PackedLutTables& t, const uint16_t* codes, int16_t* out, size_t n) {
  interpolate_batch_with(best_lut_kernel(t.index_bits), t, codes, out, n);
}

}  // namespace npusim
