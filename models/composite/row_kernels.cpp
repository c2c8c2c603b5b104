#include "models/composite/row_kernels.hpp"

#include <algorithm>
#include <cmath>

#if defined(__x86_64__)
#include <immintrin.h>
#define NPUSIM_HAVE_X86 1
#endif

namespace npusim {

namespace {

// rha(t) as trunc(t) plus sign(t) where the exact remainder |t - trunc(t)| reaches 0.5.
inline double round_half_away_exact(double t) {
  const double whole = std::trunc(t);
  return std::fabs(t - whole) >= 0.5 ? whole + std::copysign(1.0, t) : whole;
}

void quantize_scalar(const double* x, size_t begin, size_t n, double scale, double zero, double low, double high, int32_t zero_point,
                     int32_t* out) {
  for (size_t i = begin; i < n; ++i) {
    const double code = std::min(std::max(round_half_away_exact(x[i] / scale) + zero, low), high);
    out[i] = static_cast<int32_t>(code) - zero_point;
  }
}

struct Partial {
  double max_error[4] = {0, 0, 0, 0}, abs_sum[4] = {0, 0, 0, 0}, rel_sum[4] = {0, 0, 0, 0}, counted[4] = {0, 0, 0, 0};

  void add(int lane, double y, double reference, double floor) {
    const double ref = std::fabs(reference);
    const double err = std::fabs(y - reference);
    const bool counts = ref >= floor && ref != 0;
    max_error[lane] = std::max(max_error[lane], err);
    abs_sum[lane] += err;
    rel_sum[lane] += counts ? err / ref : 0.0;
    counted[lane] += counts ? 1.0 : 0.0;
  }
  RowErrorSums total() const {
    RowErrorSums r;
    r.max_error = std::max(std::max(max_error[0], max_error[1]), std::max(max_error[2], max_error[3]));
    r.abs_sum = (abs_sum[0] + abs_sum[1]) + (abs_sum[2] + abs_sum[3]);
    r.rel_sum = (rel_sum[0] + rel_sum[1]) + (rel_sum[2] + rel_sum[3]);
    r.counted = static_cast<int64_t>((counted[0] + counted[1]) + (counted[2] + counted[3]));
    return r;
  }
};

#ifdef NPUSIM_HAVE_X86

bool has_avx2() {
  static const bool available = __builtin_cpu_supports("avx2");
  return available;
}

__attribute__((target("avx2"))) void quantize_avx2(const double* x, size_t n, double scale, double zero, double low, double high,
                                                   int32_t zero_point, int32_t* out) {
  const __m256d vscale = _mm256_set1_pd(scale), vzero = _mm256_set1_pd(zero), vlow = _mm256_set1_pd(low), vhigh = _mm256_set1_pd(high);
  const __m256d half = _mm256_set1_pd(0.5), one = _mm256_set1_pd(1.0), sign = _mm256_set1_pd(-0.0);
  const __m128i vzero_point = _mm_set1_epi32(zero_point);
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256d t = _mm256_div_pd(_mm256_loadu_pd(x + i), vscale);
    const __m256d whole = _mm256_round_pd(t, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m256d remainder = _mm256_andnot_pd(sign, _mm256_sub_pd(t, whole));
    const __m256d step = _mm256_and_pd(_mm256_cmp_pd(remainder, half, _CMP_GE_OQ), _mm256_or_pd(_mm256_and_pd(t, sign), one));
    const __m256d code = _mm256_min_pd(_mm256_max_pd(_mm256_add_pd(_mm256_add_pd(whole, step), vzero), vlow), vhigh);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), _mm_sub_epi32(_mm256_cvttpd_epi32(code), vzero_point));
  }
  quantize_scalar(x, i, n, scale, zero, low, high, zero_point, out);
}

__attribute__((target("avx2"))) RowErrorSums row_error_avx2(const double* y, const double* reference, int64_t n, double floor) {
  const __m256d sign = _mm256_set1_pd(-0.0), vfloor = _mm256_set1_pd(floor), zero = _mm256_setzero_pd(), one = _mm256_set1_pd(1.0);
  __m256d max_error = zero, abs_sum = zero, rel_sum = zero, counted = zero;
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256d ref_signed = _mm256_loadu_pd(reference + i);
    const __m256d ref = _mm256_andnot_pd(sign, ref_signed);
    const __m256d err = _mm256_andnot_pd(sign, _mm256_sub_pd(_mm256_loadu_pd(y + i), ref_signed));
    const __m256d counts = _mm256_and_pd(_mm256_cmp_pd(ref, vfloor, _CMP_GE_OQ), _mm256_cmp_pd(ref, zero, _CMP_NEQ_OQ));
    max_error = _mm256_max_pd(max_error, err);
    abs_sum = _mm256_add_pd(abs_sum, err);
    rel_sum = _mm256_add_pd(rel_sum, _mm256_and_pd(counts, _mm256_div_pd(err, ref)));
    counted = _mm256_add_pd(counted, _mm256_and_pd(counts, one));
  }
  Partial p;
  _mm256_storeu_pd(p.max_error, max_error);
  _mm256_storeu_pd(p.abs_sum, abs_sum);
  _mm256_storeu_pd(p.rel_sum, rel_sum);
  _mm256_storeu_pd(p.counted, counted);
  for (; i < n; ++i) p.add(static_cast<int>(i & 3), y[i], reference[i], floor);
  return p.total();
}

__attribute__((target("avx2"))) DoubleRange value_range_avx2(const double* x, size_t n) {
  __m256d lo = _mm256_set1_pd(x[0]), hi = lo;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256d v = _mm256_loadu_pd(x + i);
    lo = _mm256_min_pd(lo, v);
    hi = _mm256_max_pd(hi, v);
  }
  double l[4], h[4];
  _mm256_storeu_pd(l, lo);
  _mm256_storeu_pd(h, hi);
  DoubleRange r{std::min(std::min(l[0], l[1]), std::min(l[2], l[3])), std::max(std::max(h[0], h[1]), std::max(h[2], h[3]))};
  for (; i < n; ++i) r.min = std::min(r.min, x[i]), r.max = std::max(r.max, x[i]);
  return r;
}

__attribute__((target("avx2"))) IntRange value_range_avx2(const int32_t* x, size_t n) {
  __m256i lo = _mm256_set1_epi32(x[0]), hi = lo;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(x + i));
    lo = _mm256_min_epi32(lo, v);
    hi = _mm256_max_epi32(hi, v);
  }
  int32_t l[8], h[8];
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(l), lo);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(h), hi);
  IntRange r{*std::min_element(l, l + 8), *std::max_element(h, h + 8)};
  for (; i < n; ++i) r.min = std::min(r.min, x[i]), r.max = std::max(r.max, x[i]);
  return r;
}

#endif

template <class T, class Range>
Range value_range_scalar(const T* x, size_t n) {
  Range r{x[0], x[0]};
  for (size_t i = 1; i < n; ++i) r.min = std::min(r.min, x[i]), r.max = std::max(r.max, x[i]);
  return r;
}

}  // namespace

DoubleRange value_range(const double* x, size_t n) {
#ifdef NPUSIM_HAVE_X86
  if (has_avx2()) return value_range_avx2(x, n);
#endif
  return value_range_scalar<double, DoubleRange>(x, n);
}

IntRange value_range(const int32_t* x, size_t n) {
#ifdef NPUSIM_HAVE_X86
  if (has_avx2()) return value_range_avx2(x, n);
#endif
  return value_range_scalar<int32_t, IntRange>(x, n);
}

void quantize_values(const double* x, size_t n, double scale, int64_t zero_point, int64_t qmin, int64_t qmax, int32_t* out) {
  const double zero = static_cast<double>(zero_point), low = static_cast<double>(qmin), high = static_cast<double>(qmax);
#ifdef NPUSIM_HAVE_X86
  if (has_avx2()) {
    quantize_avx2(x, n, scale, zero, low, high, static_cast<int32_t>(zero_point), out);
    return;
  }
#endif
  quantize_scalar(x, 0, n, scale, zero, low, high, static_cast<int32_t>(zero_point), out);
}

RowErrorSums row_error_sums(const double* y, const double* reference, int64_t n, double floor) {
#ifdef NPUSIM_HAVE_X86
  if (has_avx2()) return row_error_avx2(y, reference, n, floor);
#endif
  Partial p;
  for (int64_t i = 0; i < n; ++i) p.add(static_cast<int>(i & 3), y[i], reference[i], floor);
  return p.total();
}

}  // namespace npusim
