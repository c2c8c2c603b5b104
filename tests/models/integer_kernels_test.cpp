// I-BERT and I-ViT kernels against a float replay of the same algorithm written here (floor on doubles,
// no integer shifts), and against the exact functions within their published accuracy.
#include <gtest/gtest.h>

#include <cmath>

#include "models/ibert_kernels.hpp"
#include "models/ivit_kernels.hpp"
#include "models/error.hpp"

namespace npusim {
namespace {

double replay_ibert_exp(double q, double s) {
  const double x0 = std::floor(-0.6931 / s);
  const double b = std::floor(0.96963238 / 0.35815147 / s), c = std::floor(1.0 / 0.35815147 / (s * s));
  const double halvings = std::floor(q / x0);
  const double r = q - x0 * halvings;
  const double poly = (r + b) * r + c;
  return std::max(0.0, std::floor(poly * std::pow(2.0, 30 - halvings)));
}

double replay_ivit_exp(double q, double s, int n) {
  const double x0 = std::floor(-1.0 / s);
  double x = q + std::floor(q / 2) - std::floor(q / 16);
  x = std::max(x, n * x0);
  const double halvings = std::floor(x / x0);
  const double r = x - x0 * halvings;
  return std::floor((std::floor(r / 2) - x0) * std::pow(2.0, n - halvings));
}

std::vector<int64_t> codes(int64_t from, int64_t to, int64_t step) {
  std::vector<int64_t> q;
  for (int64_t v = from; v <= to; v += step) q.push_back(v);
  return q;
}

TEST(IBert, ExpMatchesItsReplayAndThePublishedError) {
  for (const double s : {16.0 / 32768, 8.0 / 4096, 0.01}) {
    const auto q = codes(static_cast<int64_t>(-16.0 / s), 0, 3);
    const ScaledInts e = ibert::exp(q, s);
    double max_error = 0;
    for (size_t i = 0; i < q.size(); ++i) {
      ASSERT_EQ(static_cast<double>(e.q[i]), replay_ibert_exp(static_cast<double>(q[i]), s)) << q[i];
      max_error = std::max(max_error, std::fabs(e.q[i] * e.scale - std::exp(q[i] * s)));
    }
    // I-BERT's second-order exp is within about 2e-3 of exp on (-inf, 0] (plus input rounding).
    EXPECT_LT(max_error, 2e-3 + s) << s;
  }
  EXPECT_THROW(ibert::exp({1}, 0.1), Error);
}

TEST(IBert, GeluAndSoftmaxAndLayerNormStayCloseToFp) {
  const double s = 8.0 / 32768;
  const auto q = codes(-32768, 32767, 7);
  const ScaledInts g = ibert::gelu(q, s);
  for (size_t i = 0; i < q.size(); ++i) {
    const double x = q[i] * s;
    EXPECT_NEAR(g.q[i] * g.scale, 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))), 0.02) << x;
  }
  std::vector<int64_t> row;
  for (int i = 0; i < 197; ++i) row.push_back((i * 37) % 97 - 48);
  const ScaledInts p = ibert::softmax(row, 0.1, 16);
  double sum = 0, max = 48 * 0.1;
  for (const auto v : row) sum += std::exp(v * 0.1 - max);
  for (size_t i = 0; i < row.size(); ++i) EXPECT_NEAR(p.q[i] * p.scale, std::exp(row[i] * 0.1 - max) / sum, 1e-3);
  const ScaledInts n = ibert::layernorm(row);
  double mean = 0, var = 0;
  for (const auto v : row) mean += v;
  mean /= row.size();
  for (const auto v : row) var += (v - mean) * (v - mean);
  var /= row.size();
  for (size_t i = 0; i < row.size(); ++i) EXPECT_NEAR(n.q[i] * n.scale, (row[i] - mean) / std::sqrt(var), 0.05);
}

TEST(IBert, NewtonSquareRootIsTheIntegerFloor) {
  for (int64_t v : {0LL, 1LL, 2LL, 3LL, 4LL, 15LL, 16LL, 17LL, 99LL, 1000000LL, 123456789LL, (1LL << 40) + 12345}) {
    const int64_t r = ibert::isqrt(v);
    EXPECT_LE(r * r, v) << v;
    EXPECT_GT((r + 1) * (r + 1), v) << v;
  }
  EXPECT_THROW(ibert::isqrt(-1), Error);
}

TEST(IVit, ShiftExpMatchesItsReplay) {
  for (const double s : {16.0 / 32768, 0.05}) {
    const auto q = codes(static_cast<int64_t>(-16.0 / s), 0, 5);
    const ScaledInts e = ivit::shift_exp(q, s, 15);
    double max_error = 0;
    for (size_t i = 0; i < q.size(); ++i) {
      ASSERT_EQ(static_cast<double>(e.q[i]), replay_ivit_exp(static_cast<double>(q[i]), s, 15)) << q[i];
      max_error = std::max(max_error, std::fabs(e.q[i] * e.scale - std::exp(q[i] * s)));
    }
    // log2(e) ~ 1.4375 and 2^r ~ 1 + r/2: a few percent.
    EXPECT_LT(max_error, 0.07) << s;
  }
}

TEST(IVit, ShiftmaxShiftGeluAndLayerNorm) {
  std::vector<int64_t> row;
  for (int i = 0; i < 197; ++i) row.push_back((i * 37) % 97 - 48);
  const ScaledInts p = ivit::shiftmax(row, 0.1, 16);
  double total = 0;
  for (const auto v : p.q) total += v * p.scale;
  EXPECT_NEAR(total, 1.0, 0.01);
  const auto q = codes(-32768, 32767, 11);
  const ScaledInts g = ivit::shift_gelu(q, 8.0 / 32768);
  for (size_t i = 0; i < q.size(); ++i) {
    const double x = q[i] * 8.0 / 32768;
    EXPECT_NEAR(g.q[i] * g.scale, 0.5 * x * (1 + std::erf(x / std::sqrt(2.0))), 0.6) << x;  // sigmoid(1.702x) by shifts
  }
  EXPECT_EQ(ivit::isqrt10(1 << 20), 1 << 10);
  const ScaledInts n = ivit::layernorm(row);
  const ScaledInts m = ibert::layernorm(row);
  for (size_t i = 0; i < row.size(); ++i) EXPECT_NEAR(n.q[i] * n.scale, m.q[i] * m.scale, 0.01);
}

}  // namespace
}  // namespace npusim
