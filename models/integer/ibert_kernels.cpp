#include "models/integer/ibert_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/error.hpp"

namespace npusim::ibert {

namespace {

// floor(v) of a constant that must fit 62 bits; `what` names it in the error.
int64_t integer_constant(double v, const char* what, double scale) {
  const double f = std::floor(v);
  if (!(std::fabs(f) < std::ldexp(1.0, 62))) {
    throw Error(std::string("I-BERT: ") + what + " does not fit 62 bits at input scale " + std::to_string(scale) +
                " (the inputs are too small for its integer constants)");
  }
  return static_cast<int64_t>(f);
}

void check_scale(double scale, const char* kernel) {
  if (!(scale > 0) || !std::isfinite(scale)) throw Error(std::string("I-BERT ") + kernel + " needs a positive finite input scale");
}

void check_shape(const std::vector<int64_t>& values, int64_t rows, int64_t cols, const char* kernel) {
  if (rows < 1 || cols < 1 || static_cast<int64_t>(values.size()) != rows * cols) {
    throw Error(std::string("I-BERT ") + kernel + ": values do not form rows x cols");
  }
}

}  // namespace

ExpConstants exp_constants(double scale) {
  check_scale(scale, "i-exp");
  ExpConstants k;
  k.x0 = integer_constant(kExpX0 / scale, "i-exp's x0 = floor(-ln2 / S)", scale);
  k.b = integer_constant(kExpB / kExpA / scale, "i-exp's b = floor((b/a) / S)", scale);
  k.c = integer_constant(kExpC / kExpA / (scale * scale), "i-exp's c = floor((c/a) / S^2)", scale);
  if (k.c <= 0) {
    throw Error("I-BERT i-exp: at input scale " + std::to_string(scale) +
                " the constant c = floor((c/a) / S^2) is 0, so exp(0) would be 0 (the input grid is coarser than sqrt(1/a) = 1.67)");
  }
  k.scale = kExpA * scale * scale / std::ldexp(1.0, kExpN);
  return k;
}

int128 exp_int(int64_t q, const ExpConstants& k) {
  if (q > 0) throw Error("i-exp takes inputs <= 0 (subtract the row maximum first)");
  const int64_t x = std::max(q, kExpN * k.x0);
  const int64_t halvings = floor_div(x, k.x0);  // x = halvings * x0 + r, 0 <= halvings <= 30
  const int64_t r = x - k.x0 * halvings;        // r in (x0, 0]
  const int128 poly = static_cast<int128>(r) * (r + k.b) + k.c;
  const int128 e = poly << (kExpN - halvings);
  return e > 0 ? e : 0;
}

ScaledInts gelu(const std::vector<int64_t>& q, double scale) {
  check_scale(scale, "i-GELU");
  const double s_in = scale / kErfK;  // erf's input x / sqrt 2 on the same integers
  const int64_t b = integer_constant(kErfB / s_in, "i-erf's b = floor(b / s)", scale);
  const int64_t c = integer_constant(kErfC / kErfA / (s_in * s_in), "i-erf's c = floor((c/a) / s^2)", scale);
  const double s_erf = kErfA * s_in * s_in * std::ldexp(1.0, kErfN);
  const int64_t one = integer_constant(1.0 / s_erf, "i-GELU's floor(1 / erf scale)", scale);
  ScaledInts out;
  out.scale = scale * s_erf / 2;
  for (const int64_t v : q) {
    const int64_t magnitude = std::min<int64_t>(v < 0 ? -v : v, -b);
    const int128 poly = static_cast<int128>(magnitude + b) * (magnitude + b) + c;
    const int128 signed_poly = v > 0 ? poly : (v < 0 ? -poly : 0);  // sign(0) = 0
    const int128 erf = signed_poly >> kErfN;                          // floor
    out.q.push_back(clamp64(static_cast<int128>(v) * (erf + one), INT64_MIN, INT64_MAX));
  }
  return out;
}

ScaledInts softmax(const std::vector<int64_t>& values, int64_t rows, int64_t cols, double scale) {
  check_shape(values, rows, cols, "softmax");
  const ExpConstants k = exp_constants(scale);
  std::vector<int128> e(values.size());
  int128 e_max = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t* v = &values[static_cast<size_t>(r * cols)];
    const int64_t m = *std::max_element(v, v + cols);
    for (int64_t i = 0; i < cols; ++i) {
      e[static_cast<size_t>(r * cols + i)] = exp_int(v[i] - m, k);
      e_max = std::max(e_max, e[static_cast<size_t>(r * cols + i)]);
    }
  }
  // QuantAct(16): symmetric over the calibrated range of exp (min 0), scale = max(range, 1e-8) / 32767.
  const double range = std::max(static_cast<double>(e_max) * k.scale, 1e-8);
  const double z_scale = range / static_cast<double>((1 << (kExpRequantBits - 1)) - 1);
  const FixedPointMultiplier f = fixed_point_multiplier(k.scale / z_scale);
  ScaledInts out;
  out.scale = std::ldexp(1.0, -kSoftmaxOutputBits);
  out.q.resize(values.size());
  std::vector<int64_t> e16(static_cast<size_t>(cols));
  for (int64_t r = 0; r < rows; ++r) {
    int64_t sum = 0;
    for (int64_t i = 0; i < cols; ++i) sum += (e16[static_cast<size_t>(i)] = requantize(e[static_cast<size_t>(r * cols + i)], f, kExpRequantBits));
    if (sum <= 0) throw Error("I-BERT softmax: every exponential of a row requantised to 0");
    const int64_t factor = (int64_t{1} << 32) / sum;
    for (int64_t i = 0; i < cols; ++i) {
      out.q[static_cast<size_t>(r * cols + i)] = (e16[static_cast<size_t>(i)] * factor) >> (32 - kSoftmaxOutputBits);
    }
  }
  return out;
}

int64_t isqrt(int64_t n) {
  if (n < 0) throw Error("integer square root of a negative number");
  if (n == 0) return 0;
  int64_t x = int64_t{1} << ((bit_length(n) + 1) / 2);
  while (true) {
    const int64_t next = (x + n / x) / 2;
    if (next >= x) return x;
    x = next;
  }
}

namespace {

int64_t row_mean(const int64_t* v, int64_t n, bool subtract_mean) {
  if (!subtract_mean) return 0;
  int64_t sum = 0;
  for (int64_t i = 0; i < n; ++i) sum += v[i];
  return round_half_even_div(sum, n);
}

}  // namespace

int layernorm_shift(const std::vector<int64_t>& values, int64_t rows, int64_t cols, bool subtract_mean) {
  check_shape(values, rows, cols, "LayerNorm");
  int shift = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t* v = &values[static_cast<size_t>(r * cols)];
    const int64_t mean = row_mean(v, cols, subtract_mean);
    int128 squares = 0;
    for (int64_t i = 0; i < cols; ++i) squares += static_cast<int128>(v[i] - mean) * (v[i] - mean);
    while (squares > (static_cast<int128>(1) << (32 + 2 * shift))) ++shift;
  }
  return shift;
}

ScaledInts layernorm(const std::vector<int64_t>& values, int64_t rows, int64_t cols, bool subtract_mean) {
  const int shift = layernorm_shift(values, rows, cols, subtract_mean);
  ScaledInts out;
  out.scale = std::sqrt(static_cast<double>(cols)) / std::ldexp(1.0, 30);
  out.q.resize(values.size());
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t* v = &values[static_cast<size_t>(r * cols)];
    const int64_t mean = row_mean(v, cols, subtract_mean);
    int128 squares = 0;
    for (int64_t i = 0; i < cols; ++i) {
      const int64_t y = (v[i] - mean) >> shift;
      squares += static_cast<int128>(y) * y;
    }
    const int64_t std_int = isqrt(clamp64(squares, 0, INT64_MAX)) << shift;
    // floor(2^31 / (std + 0.0001)): the 0.0001 only guards std = 0 (in the original's float32 it vanishes
    // for std above ~2^10; below, it moves the factor by at most 2e-5 relative, which is not modelled).
    const int128 factor = std_int > 0 ? (static_cast<int128>(1) << 31) / std_int : static_cast<int128>(21474836480000);
    for (int64_t i = 0; i < cols; ++i) {
      out.q[static_cast<size_t>(r * cols + i)] = clamp64((static_cast<int128>(v[i] - mean) * factor) >> 1, INT64_MIN, INT64_MAX);
    }
  }
  return out;
}

}  // namespace npusim::ibert
