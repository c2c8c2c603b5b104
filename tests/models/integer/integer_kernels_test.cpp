// I-BERT and I-ViT kernels against a replay of the published algorithms written here, step by step as
// their papers' code states them (floor and round on exact rationals, torch.round's ties to even), and
// against the exact functions within the published accuracy. Also: the kernels' integer domains are
// errors, never a crash (a SIGFPE on wide inputs was issue 13's finding).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "common/error.hpp"
#include "models/integer/ibert_kernels.hpp"
#include "models/integer/ivit_kernels.hpp"
#include "models/integer/ivit_plus_kernels.hpp"

namespace npusim {
namespace {

using i128 = __int128;

// floor(a / b), b > 0, by long division of the magnitudes.
i128 floor_quotient(i128 a, i128 b) {
  if (a >= 0) return a / b;
  return -((-a + b - 1) / b);
}

// round(a / b) with ties to even, b > 0.
i128 round_even_quotient(i128 a, i128 b) {
  const i128 q = floor_quotient(a, b);
  const i128 twice = 2 * (a - q * b);
  if (twice > b) return q + 1;
  if (twice == b) return (q % 2 == 0) ? q : q + 1;
  return q;
}

i128 power_of_two(int k) { return static_cast<i128>(1) << k; }

// ---- I-BERT, replayed from IntSoftmax / IntLayerNorm / IntGELU.

struct IBertExpReplay {
  double x0, b, c, scale;
  explicit IBertExpReplay(double s)
      : x0(std::floor(-0.6931 / s)),
        b(std::floor((0.96963238 / 0.35815147) / s)),
        c(std::floor((1.0 / 0.35815147) / (s * s))),
        scale(0.35815147 * s * s / std::pow(2.0, 30)) {}
  i128 operator()(int64_t x_int) const {
    const i128 x0_int = static_cast<i128>(x0);
    i128 x = std::max<i128>(x_int, 30 * x0_int);
    // q = floor(x / x0) with x, x0 <= 0: floor of the quotient of the magnitudes.
    const i128 q = floor_quotient(-x, -x0_int);
    const i128 r = x - x0_int * q;
    i128 z = r + static_cast<i128>(b);
    z = r * z;
    z = z + static_cast<i128>(c);
    const i128 e = z * power_of_two(static_cast<int>(30 - q));
    return e < 0 ? 0 : e;
  }
};

std::vector<int64_t> ibert_softmax_replay(const std::vector<int64_t>& x, int64_t rows, int64_t cols, double s) {
  const IBertExpReplay exp(s);
  std::vector<i128> e(x.size());
  double e_max = 0;
  for (int64_t r = 0; r < rows; ++r) {
    int64_t m = x[static_cast<size_t>(r * cols)];
    for (int64_t i = 0; i < cols; ++i) m = std::max(m, x[static_cast<size_t>(r * cols + i)]);
    for (int64_t i = 0; i < cols; ++i) {
      e[static_cast<size_t>(r * cols + i)] = exp(x[static_cast<size_t>(r * cols + i)] - m);
      e_max = std::max(e_max, static_cast<double>(e[static_cast<size_t>(r * cols + i)]) * exp.scale);
    }
  }
  // QuantAct(16) with fixedpoint_mul.
  const double act_scale = std::max(e_max, 1e-8) / 32767.0;
  int exponent = 0;
  const double mantissa = std::frexp(exp.scale / act_scale, &exponent);
  const i128 m_int = static_cast<i128>(std::floor(mantissa * std::pow(2.0, 31) + 0.5));
  const int shift = 31 - exponent;
  std::vector<int64_t> out(x.size());
  for (int64_t r = 0; r < rows; ++r) {
    std::vector<i128> e16(static_cast<size_t>(cols));
    i128 sum = 0;
    for (int64_t i = 0; i < cols; ++i) {
      i128 v = round_even_quotient(e[static_cast<size_t>(r * cols + i)] * m_int, power_of_two(shift));
      v = std::min<i128>(std::max<i128>(v, -32768), 32767);
      e16[static_cast<size_t>(i)] = v;
      sum += v;
    }
    const i128 factor = floor_quotient(power_of_two(32), sum);
    for (int64_t i = 0; i < cols; ++i) {
      out[static_cast<size_t>(r * cols + i)] = static_cast<int64_t>(floor_quotient(e16[static_cast<size_t>(i)] * factor, power_of_two(24)));
    }
  }
  return out;
}

std::vector<int64_t> ibert_layernorm_replay(const std::vector<int64_t>& x, int64_t rows, int64_t cols, bool with_mean) {
  const auto mean_of = [&](int64_t r) -> i128 {
    if (!with_mean) return 0;
    i128 sum = 0;
    for (int64_t i = 0; i < cols; ++i) sum += x[static_cast<size_t>(r * cols + i)];
    return round_even_quotient(sum, cols);
  };
  // set_shift: ceil(log2(sqrt(var / 2^32))), the largest over the rows, at least 0.
  int shift = 0;
  for (int64_t r = 0; r < rows; ++r) {
    const i128 mean = mean_of(r);
    long double var = 0;
    for (int64_t i = 0; i < cols; ++i) var += std::pow(static_cast<long double>(x[static_cast<size_t>(r * cols + i)] - mean), 2);
    if (var > 0) shift = std::max(shift, static_cast<int>(std::ceil(std::log2(std::sqrt(var / std::pow(2.0L, 32))))));
  }
  std::vector<int64_t> out(x.size());
  for (int64_t r = 0; r < rows; ++r) {
    const i128 mean = mean_of(r);
    i128 var = 0;
    for (int64_t i = 0; i < cols; ++i) {
      const i128 shifted = floor_quotient(x[static_cast<size_t>(r * cols + i)] - mean, power_of_two(shift));
      var += shifted * shifted;
    }
    i128 root = static_cast<i128>(std::floor(std::sqrt(static_cast<long double>(var))));
    while (root * root > var) --root;
    while ((root + 1) * (root + 1) <= var) ++root;
    const i128 std_int = root * power_of_two(shift);
    const i128 factor = std_int > 0 ? floor_quotient(power_of_two(31), std_int) : static_cast<i128>(21474836480000);
    for (int64_t i = 0; i < cols; ++i) {
      out[static_cast<size_t>(r * cols + i)] = static_cast<int64_t>(floor_quotient((x[static_cast<size_t>(r * cols + i)] - mean) * factor, 2));
    }
  }
  return out;
}

int64_t ibert_gelu_replay(int64_t x, double s) {
  const double s_in = s / 1.4142;
  const double b = std::floor(-1.769 / s_in), c = std::floor((1.0 / -0.2888) / (s_in * s_in));
  const i128 sign = x > 0 ? 1 : (x < 0 ? -1 : 0);
  const i128 magnitude = std::min<i128>(x < 0 ? -static_cast<i128>(x) : x, static_cast<i128>(-b));
  i128 y = (magnitude + static_cast<i128>(b)) * (magnitude + static_cast<i128>(b)) + static_cast<i128>(c);
  y = floor_quotient(sign * y, power_of_two(14));
  const double erf_scale = s_in * s_in * -0.2888 * std::pow(2.0, 14);
  const i128 one = static_cast<i128>(std::floor(1.0 / erf_scale));
  return static_cast<int64_t>(static_cast<i128>(x) * (y + one));
}

// ---- I-ViT, replayed from IntSoftmax (Shiftmax) / IntGELU (ShiftGELU) / IntLayerNorm.

i128 ivit_exp_replay(i128 x, double s, int n) {
  x = x + floor_quotient(x, 2) - floor_quotient(x, 16);
  const i128 x0 = static_cast<i128>(std::floor(-1.0 / s));
  x = std::max<i128>(x, n * x0);
  const i128 q = floor_quotient(-x, -x0);  // floor(x / x0), x0 < 0
  const i128 r = x - x0 * q;
  // floor((r / 2 - x0) * 2^(n - q)) = floor((r - 2 x0) * 2^(n - q) / 2)
  const i128 numerator = (r - 2 * x0) * (n - q >= 0 ? power_of_two(static_cast<int>(n - q)) : 1);
  const i128 e = floor_quotient(numerator, n - q >= 0 ? 2 : 2 * power_of_two(static_cast<int>(q - n)));
  return std::max<i128>(e, 0);
}

std::vector<int64_t> ivit_shiftmax_replay(const std::vector<int64_t>& x, int64_t rows, int64_t cols, double s) {
  std::vector<int64_t> out(x.size());
  const i128 limit = power_of_two(31) - 1;
  for (int64_t r = 0; r < rows; ++r) {
    int64_t m = x[static_cast<size_t>(r * cols)];
    for (int64_t i = 0; i < cols; ++i) m = std::max(m, x[static_cast<size_t>(r * cols + i)]);
    std::vector<i128> e;
    i128 sum = 0;
    for (int64_t i = 0; i < cols; ++i) sum += e.emplace_back(ivit_exp_replay(x[static_cast<size_t>(r * cols + i)] - m, s, 15));
    sum = std::min(sum, limit);
    const i128 factor = floor_quotient(limit, sum);
    for (int64_t i = 0; i < cols; ++i) out[static_cast<size_t>(r * cols + i)] = static_cast<int64_t>(floor_quotient(e[static_cast<size_t>(i)] * factor, power_of_two(16)));
  }
  return out;
}

int64_t ivit_gelu_replay(int64_t x, double s, int64_t row_max) {
  const double s_sig = s * 1.702;
  const i128 limit = power_of_two(31) - 1;
  const i128 e = ivit_exp_replay(x - row_max, s_sig, 23);
  const i128 e_max = ivit_exp_replay(-row_max, s_sig, 23);
  const i128 sum = std::min(e + e_max, limit);
  const i128 factor = floor_quotient(limit, sum);
  const i128 sigmoid = floor_quotient(e * factor, power_of_two(24));
  return static_cast<int64_t>(static_cast<i128>(x) * sigmoid);
}

std::vector<int64_t> ivit_layernorm_replay(const std::vector<int64_t>& x, int64_t rows, int64_t cols) {
  std::vector<int64_t> out(x.size());
  for (int64_t r = 0; r < rows; ++r) {
    i128 sum = 0;
    for (int64_t i = 0; i < cols; ++i) sum += x[static_cast<size_t>(r * cols + i)];
    const i128 mean = round_even_quotient(sum, cols);
    i128 var = 0;
    for (int64_t i = 0; i < cols; ++i) var += (x[static_cast<size_t>(r * cols + i)] - mean) * (x[static_cast<size_t>(r * cols + i)] - mean);
    i128 k = power_of_two(16);
    for (int it = 0; it < 10; ++it) k = floor_quotient(k + floor_quotient(var, k), 2);
    const i128 factor = floor_quotient(power_of_two(31) - 1, k);
    for (int64_t i = 0; i < cols; ++i) {
      out[static_cast<size_t>(r * cols + i)] = static_cast<int64_t>(floor_quotient((x[static_cast<size_t>(r * cols + i)] - mean) * factor, 2));
    }
  }
  return out;
}

std::vector<int64_t> random_integers(int64_t count, int64_t lo, int64_t hi, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int64_t> any(lo, hi);
  std::vector<int64_t> v(static_cast<size_t>(count));
  for (auto& x : v) x = any(rng);
  return v;
}

TEST(IBert, ExpIsThePublishedIExpAndWithinItsAccuracy) {
  for (const double s : {16.0 / 32768, 1e-3, 8.0 / 4096, 0.01, 0.05}) {
    const ibert::ExpConstants k = ibert::exp_constants(s);
    const IBertExpReplay replay(s);
    double max_error = 0;
    for (int64_t q = static_cast<int64_t>(-25.0 / s); q <= 0; ++q) {
      const int128 e = ibert::exp_int(q, k);
      ASSERT_TRUE(e == replay(q)) << "q " << q << " s " << s;
      if (q * s > -20) max_error = std::max(max_error, std::fabs(static_cast<double>(e) * k.scale - std::exp(q * s)));
    }
    // The second-order polynomial is within about 2e-3 of exp on (-ln2, 0], plus the input rounding.
    EXPECT_LT(max_error, 2.2e-3 + s) << s;
  }
}

TEST(IBert, SoftmaxIsThePublishedIntSoftmax) {
  for (const double s : {4e-4, 2e-3, 0.02}) {
    const int64_t rows = 6, cols = 197;
    const auto x = random_integers(rows * cols, static_cast<int64_t>(-12.0 / s), static_cast<int64_t>(12.0 / s), 3);
    const ScaledInts p = ibert::softmax(x, rows, cols, s);
    EXPECT_EQ(p.q, ibert_softmax_replay(x, rows, cols, s)) << s;
    EXPECT_EQ(p.scale, 1.0 / 256);
    // 8-bit outputs: within 1/256 + the exp's error of the exact softmax.
    for (int64_t r = 0; r < rows; ++r) {
      double m = -1e300, sum = 0;
      for (int64_t i = 0; i < cols; ++i) m = std::max(m, x[static_cast<size_t>(r * cols + i)] * s);
      for (int64_t i = 0; i < cols; ++i) sum += std::exp(x[static_cast<size_t>(r * cols + i)] * s - m);
      for (int64_t i = 0; i < cols; ++i) {
        EXPECT_NEAR(p.q[static_cast<size_t>(r * cols + i)] * p.scale, std::exp(x[static_cast<size_t>(r * cols + i)] * s - m) / sum, 8e-3);
      }
    }
  }
}

TEST(IBert, LayerNormIsThePublishedIntLayerNormWithItsRoundedMean) {
  // 22-bit inputs overflow 32 bits in the sum of squares: the calibrated shift is exercised.
  for (const auto& [lo, hi] : {std::pair<int64_t, int64_t>{-2000, 2000}, {-2097151, 2097151}, {-40, 90}}) {
    const int64_t rows = 5, cols = 768;
    const auto x = random_integers(rows * cols, lo, hi, 11);
    for (const bool mean : {true, false}) {
      EXPECT_EQ(ibert::layernorm(x, rows, cols, mean).q, ibert_layernorm_replay(x, rows, cols, mean)) << lo << " " << mean;
    }
  }
  EXPECT_GE(ibert::layernorm_shift(random_integers(768, -2097151, 2097151, 1), 1, 768, true), 8);  // sum of squares ~ 2^50
  // The mean rounds half to even: 1, 2 -> 1.5 -> 2; 1, 4 -> 2.5 -> 2; 0, 1, 1, 1 -> 0.75 -> 1.
  EXPECT_EQ(ibert::layernorm({1, 2}, 1, 2, true).q[0] < 0, true);
  EXPECT_EQ(ibert::layernorm({1, 4}, 1, 2, true).q[0] < 0, true);
  EXPECT_EQ(ibert::layernorm({0, 1, 1, 1}, 1, 4, true).q[1], 0);  // y = 1 - 1
}

TEST(IBert, GeluIsThePublishedIntGelu) {
  for (const double s : {8.0 / 32768, 1e-3, 0.0625}) {
    for (int64_t q = static_cast<int64_t>(-8.0 / s); q <= static_cast<int64_t>(8.0 / s); q += std::max<int64_t>(1, static_cast<int64_t>(0.01 / s))) {
      ASSERT_EQ(ibert::gelu({q}, s).q[0], ibert_gelu_replay(q, s)) << q << " " << s;
    }
  }
  const double s = 8.0 / 32768;
  for (int64_t q = -32768; q <= 32767; q += 7) {
    const ScaledInts g = ibert::gelu({q}, s);
    EXPECT_NEAR(g.q[0] * g.scale, 0.5 * q * s * (1 + std::erf(q * s / std::sqrt(2.0))), 0.02) << q * s;
  }
}

TEST(IBert, NewtonSquareRootIsTheIntegerFloor) {
  for (int64_t v : {0LL, 1LL, 2LL, 3LL, 4LL, 15LL, 16LL, 17LL, 99LL, 1000000LL, 123456789LL, (1LL << 40) + 12345, (1LL << 62) - 1}) {
    const i128 r = ibert::isqrt(v);
    EXPECT_LE(r * r, v) << v;
    EXPECT_GT((r + 1) * (r + 1), v) << v;
  }
  EXPECT_THROW(ibert::isqrt(-1), Error);
}

TEST(IBert, ScalesOutsideTheIntegerDomainAreErrorsNotCrashes) {
  // Issue 13: 8-bit softmax rows of normal(0, 60) have S ~ 1.9, where c = floor((1/a) / S^2) = 0 and every
  // exponential was 0: a division by zero (SIGFPE). Now a clear error.
  const auto x = random_integers(197, -128, 127, 1);
  try {
    ibert::softmax(x, 1, 197, 1.88);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("exp(0) would be 0"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ibert::exp_constants(1e-12), Error);  // c beyond 62 bits
  EXPECT_THROW(ibert::exp_constants(0.0), Error);
  EXPECT_THROW(ibert::exp_constants(std::nan("")), Error);
  EXPECT_THROW(ibert::gelu({1}, 1e-14), Error);
  EXPECT_THROW(ibert::exp_int(1, ibert::exp_constants(0.01)), Error);
  // Coarse but valid scales compute (badly, as published).
  EXPECT_NO_THROW(ibert::softmax(x, 1, 197, 0.5));
  EXPECT_NO_THROW(ibert::gelu(x, 3.0));
}

TEST(IVit, ShiftmaxIsThePublishedShiftmax) {
  for (const double s : {12.0 / 127, 0.05, 1e-3, 1.5}) {
    const int64_t rows = 5, cols = 197;
    const auto x = random_integers(rows * cols, -128, 127, 5);
    const ScaledInts p = ivit::shiftmax(x, rows, cols, s);
    EXPECT_EQ(p.q, ivit_shiftmax_replay(x, rows, cols, s)) << s;
    EXPECT_EQ(p.scale, 1.0 / 32768);
  }
  for (int64_t q = -4000; q <= 0; ++q) ASSERT_TRUE(ivit::shift_exp(q, 0.01, 15) == ivit_exp_replay(q, 0.01, 15)) << q;
  EXPECT_THROW(ivit::shift_exp(-1, 1e-12, 15), Error);
}

TEST(IVit, ShiftGeluIsThePublishedShiftGelu) {
  for (const double s : {8.0 / 127, 0.01, 0.3}) {
    for (const int64_t row_max : {127LL, 40LL, 0LL, -30LL}) {
      for (int64_t q = -128; q <= row_max; ++q) {
        ASSERT_EQ(ivit::shift_gelu({q}, s, row_max).q[0], ivit_gelu_replay(q, s, row_max)) << q << " " << s << " " << row_max;
      }
    }
  }
  // Within a few percent of GELU where e^(x - max) stays above 2^-23 (a row maximum near x).
  const double s = 8.0 / 127;
  for (int64_t q = -127; q <= 127; ++q) {
    const ScaledInts g = ivit::shift_gelu({q}, s, std::max<int64_t>(q, 0));
    const double x = q * s;
    EXPECT_NEAR(g.q[0] * g.scale, 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))), 0.25) << x;
  }
  EXPECT_THROW(ivit::shift_gelu({5}, 0.1, 4), Error);  // above its row maximum
}

TEST(IVit, LayerNormIsThePublishedILayerNorm) {
  const int64_t rows = 4, cols = 384;
  for (const auto& [lo, hi] : {std::pair<int64_t, int64_t>{-32768, 32767}, {-300, 200}, {-5, 5}}) {
    const auto x = random_integers(rows * cols, lo, hi, 9);
    EXPECT_EQ(ivit::layernorm(x, rows, cols, true).q, ivit_layernorm_replay(x, rows, cols)) << lo;
  }
  EXPECT_EQ(ivit::isqrt10(1 << 20), 1 << 10);
  // Ten iterations from 2^16 do not reach sqrt(100) = 10: the published algorithm's limit.
  EXPECT_EQ(ivit::isqrt10(100), 64);
}

TEST(IVitPlus, KeepsTheWidenedVariantAndItIsMoreAccurateOnSoftmax) {
  std::vector<int64_t> row;
  for (int i = 0; i < 197; ++i) row.push_back((i * 37) % 97 - 48);
  const ScaledInts plus = ivit_plus::shiftmax(row, 0.1, 16);
  const ScaledInts published = ivit::shiftmax(row, 1, 197, 0.1);
  double sum = 0, max_plus = 0, max_published = 0;
  const double m = 48 * 0.1;
  for (const auto v : row) sum += std::exp(v * 0.1 - m);
  for (size_t i = 0; i < row.size(); ++i) {
    const double exact = std::exp(row[i] * 0.1 - m) / sum;
    max_plus = std::max(max_plus, std::fabs(plus.q[i] * plus.scale - exact));
    max_published = std::max(max_published, std::fabs(published.q[i] * published.scale - exact));
  }
  EXPECT_LT(max_plus, 0.02);
  EXPECT_LT(max_published, 0.05);
}

}  // namespace
}  // namespace npusim
