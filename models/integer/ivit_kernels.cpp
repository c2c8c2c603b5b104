#include "models/integer/ivit_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/error.hpp"

namespace npusim::ivit {

namespace {

constexpr int64_t kSaturation = int64_t{1} << 62;
constexpr int64_t kSumLimit = (int64_t{1} << 31) - 1;

void check_shape(const std::vector<int64_t>& values, int64_t rows, int64_t cols, const char* kernel) {
  if (rows < 1 || cols < 1 || static_cast<int64_t>(values.size()) != rows * cols) {
    throw Error(std::string("I-ViT ") + kernel + ": values do not form rows x cols");
  }
}

}  // namespace

int64_t shift_exp(int64_t q, double scale, int n) {
  if (!(scale >= std::ldexp(1.0, -36)) || !std::isfinite(scale)) {
    throw Error("I-ViT shift exponential: input scale " + std::to_string(scale) + " is below 2^-36 (x0 = floor(-1/S) would not fit)");
  }
  const int64_t x0 = static_cast<int64_t>(std::floor(-1.0 / scale));
  const int64_t x = std::max(q + floor_div(q, 2) - floor_div(q, 16), n * x0);
  const int64_t k = floor_div(x, x0);  // k <= n
  const int64_t r = x - x0 * k;        // r in (x0, 0]
  if (k == n) return std::max<int64_t>(0, floor_div(r, 2) - x0);
  // (r/2 - x0) 2^(n - k) = (r - 2 x0) 2^(n - k - 1) is an integer: the floor is exact.
  const int64_t shift = n - k - 1;
  const int64_t base = r - 2 * x0;  // > 0
  if (shift >= 62 || base > (kSaturation >> shift)) return kSaturation;
  return base << shift;
}

ScaledInts shiftmax(const std::vector<int64_t>& values, int64_t rows, int64_t cols, double scale) {
  check_shape(values, rows, cols, "Shiftmax");
  ScaledInts out;
  out.scale = std::ldexp(1.0, -(kSoftmaxOutputBits - 1));
  out.q.resize(values.size());
  std::vector<int64_t> e(static_cast<size_t>(cols));
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t* v = &values[static_cast<size_t>(r * cols)];
    const int64_t m = *std::max_element(v, v + cols);
    int64_t sum = 0;  // every e >= 0: saturating at the clamp is exact
    for (int64_t i = 0; i < cols; ++i) {
      e[static_cast<size_t>(i)] = shift_exp(v[i] - m, scale, kShiftmaxN);
      sum = std::min(kSumLimit, sum + std::min(e[static_cast<size_t>(i)], kSumLimit));
    }
    const int64_t factor = kSumLimit / sum;  // the maximum's e = -2 x0 2^(n-1) > 0
    for (int64_t i = 0; i < cols; ++i) {
      const int128 product = static_cast<int128>(e[static_cast<size_t>(i)]) * factor;
      out.q[static_cast<size_t>(r * cols + i)] = static_cast<int64_t>(product >> (31 - kSoftmaxOutputBits + 1));
    }
  }
  return out;
}

ScaledInts shift_gelu(const std::vector<int64_t>& q, double scale, int64_t row_max) {
  const double sigmoid_scale = scale * kGeluSigmoidFactor;
  ScaledInts out;
  out.scale = scale * std::ldexp(1.0, -(kGeluOutputBits - 1));
  const int64_t e_minus_max = shift_exp(-row_max, sigmoid_scale, kShiftGeluN);
  for (const int64_t v : q) {
    if (v > row_max) throw Error("I-ViT ShiftGELU: an input exceeds its row maximum");
    const int64_t e = shift_exp(v - row_max, sigmoid_scale, kShiftGeluN);
    const int64_t sum = std::min(kSumLimit, std::min(e, kSumLimit) + std::min(e_minus_max, kSumLimit));
    const int64_t factor = kSumLimit / std::max<int64_t>(sum, 1);
    const int128 sigmoid = (static_cast<int128>(e) * factor) >> (31 - kGeluOutputBits + 1);
    out.q.push_back(clamp64(static_cast<int128>(v) * sigmoid, INT64_MIN, INT64_MAX));
  }
  return out;
}

int64_t isqrt10(int64_t n) {
  if (n < 0) throw Error("integer square root of a negative number");
  int64_t k = int64_t{1} << 16;
  for (int i = 0; i < 10; ++i) k = (k + n / k) / 2;  // k >= 2^6 after 10 halvings: never 0
  return k;
}

ScaledInts layernorm(const std::vector<int64_t>& values, int64_t rows, int64_t cols, bool subtract_mean) {
  check_shape(values, rows, cols, "I-LayerNorm");
  ScaledInts out;
  out.scale = std::sqrt(static_cast<double>(cols)) / std::ldexp(1.0, 30);
  out.q.resize(values.size());
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t* v = &values[static_cast<size_t>(r * cols)];
    int64_t mean = 0;
    if (subtract_mean) {
      int64_t sum = 0;
      for (int64_t i = 0; i < cols; ++i) sum += v[i];
      mean = round_half_even_div(sum, cols);
    }
    int128 squares = 0;
    for (int64_t i = 0; i < cols; ++i) squares += static_cast<int128>(v[i] - mean) * (v[i] - mean);
    const int64_t std_int = isqrt10(clamp64(squares, 0, INT64_MAX));
    const int64_t factor = kSumLimit / std_int;
    for (int64_t i = 0; i < cols; ++i) {
      out.q[static_cast<size_t>(r * cols + i)] = clamp64((static_cast<int128>(v[i] - mean) * factor) >> 1, INT64_MIN, INT64_MAX);
    }
  }
  return out;
}

}  // namespace npusim::ivit
