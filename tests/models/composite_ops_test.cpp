#include "models/composite_ops.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <tuple>

#include "models/approximation_error.hpp"
#include "models/error.hpp"

namespace npusim {
namespace {

double max_error(const std::vector<double>& a, const std::vector<double>& b) {
  double e = 0;
  for (size_t i = 0; i < a.size(); ++i) e = std::max(e, std::fabs(a[i] - b[i]));
  return e;
}

TEST(CompositeOps, EveryMethodStaysWithinItsBoundOfFp) {
  const Rows rows = random_rows(32, 197, "normal:0,3", 5);
  // Stated bounds (max abs error against double precision on the same quantized input).
  const struct { CompositeOp op; Method method; double bound; } cases[] = {
      {CompositeOp::softmax, Method::fp32, 1e-6},     {CompositeOp::softmax, Method::bespoke, 0.08},
      {CompositeOp::softmax, Method::universal, 0.12}, {CompositeOp::softmax, Method::nnlut, 0.2},
      {CompositeOp::softmax, Method::ibert, 0.03},     {CompositeOp::softmax, Method::ivit, 0.1},
      {CompositeOp::layernorm, Method::fp32, 1e-5},   {CompositeOp::layernorm, Method::bespoke, 1e-3},
      {CompositeOp::layernorm, Method::universal, 0.2}, {CompositeOp::layernorm, Method::nnlut, 0.4},
      {CompositeOp::layernorm, Method::ibert, 1e-3},   {CompositeOp::layernorm, Method::ivit, 1e-3},
      {CompositeOp::rmsnorm, Method::bespoke, 1e-3},   {CompositeOp::rmsnorm, Method::ibert, 1e-3}};
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(composite_op_name(c.op)) + " " + std::string(method_name(c.method)));
    const auto reference = composite_reference(c.op, rows);
    EXPECT_LT(max_error(composite_run(c.method, c.op, rows), reference), c.bound);
  }
}

TEST(CompositeOps, SoftmaxRowsSumToOneAndNormsAreNormalised) {
  const Rows rows = random_rows(8, 256, "uniform:-6,6", 2);
  const auto p = composite_run(Method::bespoke, CompositeOp::softmax, rows);
  for (int r = 0; r < 8; ++r) {
    double sum = 0;
    for (int c = 0; c < 256; ++c) sum += p[static_cast<size_t>(r * 256 + c)];
    EXPECT_NEAR(sum, 1.0, 0.06);
  }
  const auto n = composite_run(Method::bespoke, CompositeOp::layernorm, rows);
  double mean = 0, square = 0;
  for (int c = 0; c < 256; ++c) mean += n[static_cast<size_t>(c)], square += n[static_cast<size_t>(c)] * n[static_cast<size_t>(c)];
  EXPECT_NEAR(mean / 256, 0.0, 0.01);
  EXPECT_NEAR(square / 256, 1.0, 0.01);
}

TEST(CompositeOps, BespokeBeatsTheUniversalLutOnEachFunctionsOwnRange) {
  for (const auto& [f, a, b] : {std::tuple{Function::gelu, -5.0, 7.0}, std::tuple{Function::exp, -10.0, 0.0},
                                std::tuple{Function::rsqrt, 0.01, 8.0}, std::tuple{Function::silu, -6.0, 9.0}}) {
    const auto bespoke = measure_approximation(*approximate(Method::bespoke, f, a, b), f, a, b);
    const auto universal = measure_approximation(*approximate(Method::universal, f, a, b), f, a, b);
    EXPECT_LE(bespoke.max_abs_error, universal.max_abs_error) << function_name(f);
    EXPECT_LE(bespoke.mape, universal.mape) << function_name(f);
  }
  EXPECT_FALSE(approximate(Method::ibert, Function::rsqrt, 0.1, 4).has_value());
}

TEST(CompositeOps, BadArgumentsAreErrors) {
  EXPECT_THROW(random_rows(0, 10, "normal:0,1", 1), Error);
  EXPECT_THROW(random_rows(4, 10, "normal:0", 1), Error);
  EXPECT_THROW(random_rows(4, 10, "normal:0,-1", 1), Error);
  EXPECT_THROW(random_rows(4, 10, "gauss:0,1", 1), Error);
  EXPECT_THROW(random_rows(4, 10, "uniform:3,1", 1), Error);
  EXPECT_THROW(parse_composite_op("softmaxx"), Error);
  EXPECT_THROW(parse_method("bespok"), Error);
}

}  // namespace
}  // namespace npusim
