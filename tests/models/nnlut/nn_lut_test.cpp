#include "models/nnlut/nn_lut.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "common/error.hpp"
#include "models/nnlut/piecewise_linear_fit.hpp"

namespace npusim {
namespace {

NnLutTrainOptions quick() {
  NnLutTrainOptions o;
  o.epochs = 800;  // enough for the properties below, fast in a test
  return o;
}

double max_error_over(const std::function<double(double)>& approx, Function f, double lo, double hi, int points = 4001) {
  double e = 0;
  for (int i = 0; i < points; ++i) {
    const double x = lo + (hi - lo) * i / (points - 1);
    e = std::max(e, std::fabs(approx(x) - evaluate(f, x)));
  }
  return e;
}

// An independent least-squares fit with breakpoints at given places: normal equations in long double
// on the truncated-power basis 1, x, (x - d_i)+, solved by Gaussian elimination.
double fixed_breakpoint_mse(Function f, double lo, double hi, const std::vector<double>& d, int samples = 2048) {
  const size_t k = d.size() + 2;
  std::vector<std::vector<long double>> a(k, std::vector<long double>(k + 1, 0.0L));
  std::vector<std::vector<long double>> rows;
  std::vector<long double> ys;
  for (int s = 0; s < samples; ++s) {
    const double x = lo + (hi - lo) * (s + 0.5) / samples;
    const double t = (x - (lo + hi) / 2) / ((hi - lo) / 2);
    std::vector<long double> row = {1.0L, t};
    for (const double di : d) row.push_back(std::max(0.0L, static_cast<long double>(t) - (di - (lo + hi) / 2) / ((hi - lo) / 2)));
    rows.push_back(row);
    ys.push_back(evaluate(f, x));
    for (size_t i = 0; i < k; ++i) {
      for (size_t j = 0; j < k; ++j) a[i][j] += row[i] * row[j];
      a[i][k] += row[i] * ys.back();
    }
  }
  for (size_t i = 0; i < k; ++i) {
    size_t pivot = i;
    for (size_t r = i + 1; r < k; ++r) {
      if (std::fabs(a[r][i]) > std::fabs(a[pivot][i])) pivot = r;
    }
    std::swap(a[i], a[pivot]);
    for (size_t r = 0; r < k; ++r) {
      if (r == i) continue;
      const long double factor = a[r][i] / a[i][i];
      for (size_t c = i; c <= k; ++c) a[r][c] -= factor * a[i][c];
    }
  }
  long double mse = 0;
  for (size_t s = 0; s < rows.size(); ++s) {
    long double y = 0;
    for (size_t i = 0; i < k; ++i) y += rows[s][i] * a[i][k] / a[i][i];
    mse += (y - ys[s]) * (y - ys[s]);
  }
  return static_cast<double>(mse / static_cast<long double>(rows.size()));
}

TEST(NnLut, ConversionToSegmentsIsExact) {
  const InputRangeDefault r = nnlut_default_range(Function::gelu);
  const NnLutNetwork net = train_nnlut(Function::gelu, r.min, r.max, quick());
  const NnLutTable table = NnLutTable::from_network(Function::gelu, r.min, r.max, net);
  ASSERT_EQ(table.breakpoints.size(), 15u);
  ASSERT_EQ(table.slopes.size(), 16u);
  EXPECT_TRUE(std::is_sorted(table.breakpoints.begin(), table.breakpoints.end()));
  for (int i = 0; i <= 4000; ++i) {
    const double x = -12.0 + 24.0 * i / 4000.0;  // beyond the range too: the float segments extend
    EXPECT_NEAR(table.evaluate_exact(x), net.evaluate(x), 1e-9 * (1 + std::fabs(net.evaluate(x)))) << x;
  }
}

TEST(NnLut, FixedPointIsExactAtBreakpointsWithinRounding) {
  const NnLutTable table = build_nnlut(Function::silu, quick());
  const double lsb = std::ldexp(1.0, -table.out_frac_bits);
  for (size_t k = 0; k < table.breakpoints.size(); ++k) {
    const double x = std::ldexp(static_cast<double>(table.breakpoints_q[k]), -table.x_frac_bits);
    if (x < table.range_min || x > table.range_max) continue;  // clamped inputs never reach it
    // At its breakpoint the network is continuous: both neighbouring segments give the same value.
    const double left = table.slopes[k] * x + table.intercepts[k];
    const double right = table.slopes[k + 1] * x + table.intercepts[k + 1];
    EXPECT_NEAR(left, right, 1e-6 * (1 + std::fabs(left)));
    // The comparators pick segment k + 1 (breakpoint <= x); the INT32 result is within a few LSB of it.
    EXPECT_EQ(table.segment_of(table.breakpoints_q[k]), static_cast<int>(k) + 1);
    EXPECT_NEAR(table.evaluate(x), right, 4 * lsb + std::fabs(table.slopes[k + 1]) * std::ldexp(1.0, -table.x_frac_bits));
  }
}

TEST(NnLut, TrainedNetworkIsCloseToTheLeastSquaresLine) {
  // Issue 14: the old training was 5-55x worse than a least-squares fit with the same segments.
  for (const Function f : {Function::gelu, Function::exp, Function::silu}) {
    const InputRangeDefault r = nnlut_default_range(f);
    const NnLutTable trained = build_nnlut(f);
    const NnLutTable reference = build_nnlut_least_squares(f, 16);
    const double trained_error = max_error_over([&](double x) { return trained.evaluate(x); }, f, r.min, r.max);
    const double reference_error = max_error_over([&](double x) { return reference.evaluate(x); }, f, r.min, r.max);
    EXPECT_LT(trained_error, 1.6 * reference_error) << function_name(f);
    EXPECT_LT(reference_error, 1e-2) << function_name(f);
  }
}

TEST(NnLut, InputsAreClampedToTheRangeOrScaledIntoIt) {
  const NnLutTable gelu = build_nnlut(Function::gelu, quick());
  EXPECT_EQ(gelu.input_scaling, NnLutInputScaling::clamp);
  EXPECT_EQ(gelu.evaluate(50.0), gelu.evaluate(8.0));  // no extrapolation beyond the fitted range
  EXPECT_EQ(gelu.evaluate(-1e9), gelu.evaluate(-8.0));
  for (const Function f : {Function::reciprocal, Function::rsqrt}) {
    const NnLutTable t = build_nnlut(f, quick());
    ASSERT_NE(t.input_scaling, NnLutInputScaling::clamp);
    // x 2^(2k) -> f 2^(-k) (reciprocal: 2^-2k) exactly: the scaling is a power of two.
    for (const double x : {1.3, 2.7, 3.9}) {
      for (const int k : {-20, -3, 5, 30}) {
        const double scaled = t.evaluate(std::ldexp(x, 2 * k));
        EXPECT_EQ(scaled, std::ldexp(t.evaluate(x), f == Function::reciprocal ? -2 * k : -k)) << x << " " << k;
      }
    }
    // Over decades the relative error stays that of one octave.
    double worst = 0;
    for (double x = 1e-4; x < 1e4; x *= 1.01) worst = std::max(worst, std::fabs(t.evaluate(x) / evaluate(f, x) - 1));
    EXPECT_LT(worst, 0.01) << function_name(f);
    EXPECT_TRUE(std::isfinite(t.evaluate(0.0)));
    EXPECT_TRUE(std::isfinite(t.evaluate(-3.0)));
  }
}

// Issue 27: every input <= 0 read as the smallest double, so reciprocal(-3) was +4.5e307.
TEST(NnLut, ReciprocalIsOddAndThePolesSaturateInsideFp32) {
  const NnLutTable reciprocal = build_nnlut(Function::reciprocal, quick());
  for (const double x : {0.37, 3.0, 1000.0, 1e-30}) {
    EXPECT_EQ(reciprocal.evaluate(-x), -reciprocal.evaluate(x)) << x;
    EXPECT_NEAR(reciprocal.evaluate(-x) * x, -1.0, 0.01) << x;
  }
  const double fp32_min = std::ldexp(1.0, -126);
  EXPECT_EQ(reciprocal.evaluate(0.0), reciprocal.evaluate(fp32_min));
  EXPECT_EQ(reciprocal.evaluate(1e-300), reciprocal.evaluate(fp32_min));
  EXPECT_NEAR(reciprocal.evaluate(0.0) / std::ldexp(1.0, 126), 1.0, 0.01);
  const NnLutTable rsqrt = build_nnlut(Function::rsqrt, quick());
  EXPECT_EQ(rsqrt.evaluate(0.0), rsqrt.evaluate(fp32_min));
  EXPECT_EQ(rsqrt.evaluate(-5.0), rsqrt.evaluate(0.0));  // no real value: saturates like the pole
  EXPECT_NEAR(rsqrt.evaluate(0.0) / std::ldexp(1.0, 63), 1.0, 0.01);
}

TEST(PiecewiseLinearFit, FixedBreakpointsGiveTheLeastSquaresOptimum) {
  const std::vector<double> d = {-5, -2, -1, -0.3, 0.4, 1.1, 2.5, 6};
  const PiecewiseLinearFit fit = fit_piecewise_linear_at(Function::gelu, -8, 8, d);
  EXPECT_NEAR(fit.mean_square_error, fixed_breakpoint_mse(Function::gelu, -8, 8, d), 1e-12);
  ASSERT_EQ(fit.slopes.size(), d.size() + 1);
  // Continuous at every breakpoint.
  for (size_t i = 0; i < d.size(); ++i) {
    EXPECT_NEAR(fit.slopes[i] * d[i] + fit.intercepts[i], fit.slopes[i + 1] * d[i] + fit.intercepts[i + 1], 1e-9);
  }
}

TEST(PiecewiseLinearFit, FreeBreakpointsBeatUniformOnesAndFitAPiecewiseLinearFunctionExactly) {
  const PiecewiseLinearFit fit = fit_piecewise_linear(Function::gelu, -8, 8, 16);
  std::vector<double> uniform;
  for (int i = 1; i < 16; ++i) uniform.push_back(-8 + 16.0 * i / 16);
  EXPECT_LT(fit.mean_square_error, 0.05 * fixed_breakpoint_mse(Function::gelu, -8, 8, uniform));
  EXPECT_LE(fit.mean_square_error, fit_piecewise_linear_at(Function::gelu, -8, 8, curvature_breakpoints(Function::gelu, -8, 8, 15)).mean_square_error);
  EXPECT_LT(fit_piecewise_linear(Function::relu, -8, 8, 4).mean_square_error, 1e-20);
  EXPECT_THROW(fit_piecewise_linear(Function::gelu, 1, 1, 4), Error);
  EXPECT_THROW(fit_piecewise_linear(Function::gelu, -1, 1, 0), Error);
  EXPECT_THROW(fit_piecewise_linear(Function::rsqrt, -1, 1, 4), Error);  // not defined below 0
}

TEST(NnLut, ApproximatesTheFunctionAndIsDeterministic) {
  const NnLutTable a = build_nnlut(Function::gelu, quick());
  const NnLutTable b = build_nnlut(Function::gelu, quick());
  EXPECT_EQ(a.slopes_q, b.slopes_q);
  EXPECT_LT(max_error_over([&](double x) { return a.evaluate(x); }, Function::gelu, -8, 8), 0.02);  // 16 segments over [-8, 8]
}

TEST(NnLut, TablesSaveAndLoad) {
  for (const Function f : {Function::exp, Function::rsqrt}) {
    const NnLutTable t = build_nnlut(f, quick());
    const NnLutTable back = NnLutTable::from_json(t.to_json(), "t.json");
    EXPECT_EQ(back.breakpoints_q, t.breakpoints_q);
    EXPECT_EQ(back.slopes_q, t.slopes_q);
    EXPECT_EQ(back.intercepts_q, t.intercepts_q);
    EXPECT_EQ(back.input_scaling, t.input_scaling);
  }
  EXPECT_THROW(NnLutTable::from_json("{\"format\": \"npusim-nnlut\", \"version\": 1, \"function\": \"exp\", \"range\": [0, 1],"
                                     " \"breakpoints\": [1, 0], \"slopes\": [0, 0, 0], \"intercepts\": [0, 0, 0]}", "t.json"),
               Error);
  EXPECT_THROW(NnLutTable::from_json("{\"format\": \"npusim-nnlut\", \"version\": 1, \"function\": \"exp\", \"range\": [0, 1],"
                                     " \"input_scaling\": \"cubic\", \"breakpoints\": [0], \"slopes\": [0, 0], \"intercepts\": [0, 0]}", "t.json"),
               Error);
  EXPECT_THROW(train_nnlut(Function::gelu, 1, 1, quick()), Error);
}

}  // namespace
}  // namespace npusim
