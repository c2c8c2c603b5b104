#include "models/nn_lut.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "models/error.hpp"

namespace npusim {
namespace {

NnLutTrainOptions quick() {
  NnLutTrainOptions o;
  o.epochs = 800;  // enough for the properties below, fast in a test
  return o;
}

TEST(NnLut, ConversionToSegmentsIsExact) {
  const InputRangeDefault r = nnlut_default_range(Function::gelu);
  const NnLutNetwork net = train_nnlut(Function::gelu, r.min, r.max, quick());
  const NnLutTable table = NnLutTable::from_network(Function::gelu, r.min, r.max, net);
  ASSERT_EQ(table.breakpoints.size(), 15u);
  ASSERT_EQ(table.slopes.size(), 16u);
  EXPECT_TRUE(std::is_sorted(table.breakpoints.begin(), table.breakpoints.end()));
  for (int i = 0; i <= 4000; ++i) {
    const double x = -12.0 + 24.0 * i / 4000.0;  // beyond the range too: the end segments extend
    EXPECT_NEAR(table.evaluate_exact(x), net.evaluate(x), 1e-9 * (1 + std::fabs(net.evaluate(x)))) << x;
  }
}

TEST(NnLut, FixedPointIsExactAtBreakpointsWithinRounding) {
  const NnLutTable table = build_nnlut(Function::silu, quick());
  const double lsb = std::ldexp(1.0, -table.out_frac_bits);
  for (size_t k = 0; k < table.breakpoints.size(); ++k) {
    const double x = std::ldexp(static_cast<double>(table.breakpoints_q[k]), -table.x_frac_bits);
    // At its breakpoint the network is continuous: both neighbouring segments give the same value.
    const double left = table.slopes[k] * x + table.intercepts[k];
    const double right = table.slopes[k + 1] * x + table.intercepts[k + 1];
    EXPECT_NEAR(left, right, 1e-6 * (1 + std::fabs(left)));
    // The comparators pick segment k + 1 (breakpoint <= x); the INT32 result is within a few LSB of it.
    EXPECT_EQ(table.segment_of(table.breakpoints_q[k]), static_cast<int>(k) + 1);
    EXPECT_NEAR(table.evaluate(x), right, 4 * lsb + std::fabs(table.slopes[k + 1]) * std::ldexp(1.0, -table.x_frac_bits));
  }
}

TEST(NnLut, ApproximatesTheFunctionAndIsDeterministic) {
  const NnLutTable a = build_nnlut(Function::gelu, quick());
  const NnLutTable b = build_nnlut(Function::gelu, quick());
  EXPECT_EQ(a.slopes_q, b.slopes_q);
  double max_error = 0;
  for (int i = 0; i <= 2000; ++i) {
    const double x = -8.0 + 16.0 * i / 2000.0;
    max_error = std::max(max_error, std::fabs(a.evaluate(x) - evaluate(Function::gelu, x)));
  }
  EXPECT_LT(max_error, 0.1);  // 16 segments over [-8, 8]
  // Outside the range the end segments continue.
  EXPECT_NEAR(a.evaluate(20.0), a.slopes.back() * 20.0 + a.intercepts.back(), 1e-3);
  EXPECT_NEAR(a.evaluate(-20.0), a.slopes.front() * -20.0 + a.intercepts.front(), 1e-3);
}

TEST(NnLut, TablesSaveAndLoad) {
  const NnLutTable t = build_nnlut(Function::exp, quick());
  const NnLutTable back = NnLutTable::from_json(t.to_json(), "t.json");
  EXPECT_EQ(back.breakpoints_q, t.breakpoints_q);
  EXPECT_EQ(back.slopes_q, t.slopes_q);
  EXPECT_EQ(back.intercepts_q, t.intercepts_q);
  EXPECT_THROW(NnLutTable::from_json("{\"format\": \"npusim-nnlut\", \"version\": 1, \"function\": \"exp\", \"range\": [0, 1],"
                                     " \"breakpoints\": [1, 0], \"slopes\": [0, 0, 0], \"intercepts\": [0, 0, 0]}", "t.json"),
               Error);
  EXPECT_THROW(train_nnlut(Function::gelu, 1, 1, quick()), Error);
}

}  // namespace
}  // namespace npusim
