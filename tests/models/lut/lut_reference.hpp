// An independent statement of SPEC 2.2/2.3 for the tests: written from the spec's words, sharing no
// code with models/ (its own rounding, its own floor division, no packed tables, no SIMD).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace npusim::reference {

// Round half away from zero via trunc: v - trunc(v) is exact in binary floating point.
inline double rha(double v) {
  double r = std::trunc(v);
  if (std::fabs(v - r) >= 0.5) r += v > 0 ? 1.0 : -1.0;
  return r;
}

inline int16_t q16(double v, double s_out) {
  double r = rha(v / s_out);
  if (r > 32767.0) r = 32767.0;
  if (r < -32768.0) r = -32768.0;
  return static_cast<int16_t>(r);
}

inline int64_t floor_div(int64_t num, int64_t den) {  // den > 0
  return num >= 0 ? num / den : -((-num + den - 1) / den);
}

template <class F>
double sample(F f, double a, double D, int64_t step_codes, int64_t e) {
  const double x = a + static_cast<double>(step_codes * e) * D;
  double v = f(x);
  if (std::isinf(v)) v = (e == 0) ? f(x + D / 2) : f(x - D / 2);  // poles only at the ends in these tests
  return v;
}

struct Lut {
  double a = 0, b = 0, D = 0, s_out = 0;
  int bits = 8;
  std::vector<int16_t> L, Dt;

  int16_t lookup(uint32_t u) const {
    const int64_t base_den = int64_t{1} << (16 - bits);
    if (!Dt.empty() && u < static_cast<uint32_t>(base_den)) {
      const int64_t den = base_den / 16;
      const int64_t k = u / den, w = u % den;
      return static_cast<int16_t>(floor_div((den - w) * Dt[k] + w * Dt[k + 1] + den / 2, den));
    }
    const int64_t j = u / base_den, w = u % base_den;
    return static_cast<int16_t>(floor_div((base_den - w) * L[j] + w * L[j + 1] + base_den / 2, base_den));
  }
};

// The base table, s_out from the largest |f| of the base samples unless given.
template <class F>
Lut build_base(F f, double a, double b, int bits, double given_s_out = 0.0) {
  Lut lut;
  lut.a = a;
  lut.b = b;
  lut.bits = bits;
  lut.D = (b - a) / 65536;
  const int entries = (1 << bits) + 1;
  std::vector<double> v(entries);
  double m = 0;
  for (int j = 0; j < entries; ++j) {
    v[j] = sample(f, a, lut.D, int64_t{1} << (16 - bits), j);
    m = std::max(m, std::fabs(v[j]));
  }
  lut.s_out = given_s_out > 0 ? given_s_out : (m > 0 ? m : 1.0) / 32767.0;
  for (double x : v) lut.L.push_back(q16(x, lut.s_out));
  return lut;
}

template <class F>
void attach_dual(Lut& lut, F f) {
  lut.Dt.clear();
  for (int k = 0; k <= 16; ++k) lut.Dt.push_back(q16(sample(f, lut.a, lut.D, int64_t{1} << (12 - lut.bits), k), lut.s_out));
}

// SPEC 2.3's MAPE of interval 0.
template <class F>
double mape0(const Lut& lut, F f) {
  const uint32_t width = 1u << (16 - lut.bits);
  double sum = 0;
  int n = 0;
  for (uint32_t u = 0; u < width; ++u) {
    const double truth = f(lut.a + u * lut.D);
    if (!std::isfinite(truth) || std::fabs(truth) < lut.s_out / 2) continue;
    sum += std::fabs(truth - lut.s_out * lut.lookup(u)) / std::fabs(truth);
    ++n;
  }
  return n ? sum / n : 0.0;
}

}  // namespace npusim::reference
