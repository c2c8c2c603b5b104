#include "models/lut/bespoke_lut.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <numeric>
#include <string>

#include "common/error.hpp"
#include "models/lut/lut_error.hpp"
#include "tests/models/lut/lut_reference.hpp"

namespace npusim {
namespace {

// The golden functions restated here so the test does not lean on models/core/golden_functions.cpp.
double ref_f(Function f, double x) {
  switch (f) {
    case Function::exp: return std::exp(x);
    case Function::reciprocal: return 1.0 / x;
    case Function::rsqrt: return 1.0 / std::sqrt(x);
    case Function::sqrt: return std::sqrt(x);
    case Function::gelu: return x * 0.5 * (1.0 + std::erf(x * M_SQRT1_2));
    case Function::gelu_tanh: return 0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x)));
    case Function::silu: return x / (1.0 + std::exp(-x));
    case Function::sigmoid: return 1.0 / (1.0 + std::exp(-x));
    case Function::tanh: return std::tanh(x);
    case Function::relu: return std::max(x, 0.0);
  }
  return NAN;
}

struct Case {
  Function f;
  double a, b;
  int bits;
  DualRangeMode dual;
};

std::string case_name(const Case& c) {
  return std::string(function_name(c.f)) + " [" + std::to_string(c.a) + ", " + std::to_string(c.b) + "] bits " +
         std::to_string(c.bits) + " dual " + std::string(dual_range_mode_name(c.dual));
}

reference::Lut reference_for(const Case& c, double threshold = kDefaultDualThreshold) {
  const auto f = [&](double x) { return ref_f(c.f, x); };
  reference::Lut lut = reference::build_base(f, c.a, c.b, c.bits);
  const bool attach = c.dual == DualRangeMode::on ||
                      (c.dual == DualRangeMode::automatic && c.bits <= 12 && reference::mape0(lut, f) > threshold);
  if (attach) reference::attach_dual(lut, f);
  return lut;
}

const Case kExhaustiveCases[] = {
    {Function::gelu, -8.0, 8.0, 8, DualRangeMode::automatic},
    {Function::gelu_tanh, -6.5, 5.25, 8, DualRangeMode::automatic},
    {Function::silu, -12.0, 9.0, 8, DualRangeMode::automatic},
    {Function::exp, -16.0, 0.0, 8, DualRangeMode::automatic},
    {Function::exp, -3.0, 4.0, 8, DualRangeMode::on},
    {Function::reciprocal, 0.0, 8.0, 8, DualRangeMode::automatic},     // pole at the start
    {Function::reciprocal, 0.01, 8.0, 8, DualRangeMode::automatic},
    {Function::reciprocal, -8.0, 0.0, 8, DualRangeMode::automatic},    // pole at the end
    {Function::rsqrt, 0.0, 4.0, 8, DualRangeMode::automatic},
    {Function::rsqrt, 1e-4, 4.0, 8, DualRangeMode::automatic},
    {Function::rsqrt, 0.05, 16.0, 8, DualRangeMode::off},
    {Function::sqrt, 0.0, 100.0, 8, DualRangeMode::automatic},
    {Function::sigmoid, -10.0, 10.0, 8, DualRangeMode::automatic},
    {Function::tanh, -4.0, 4.0, 8, DualRangeMode::on},
    {Function::relu, -3.0, 5.0, 8, DualRangeMode::automatic},
    {Function::gelu, -8.0, 8.0, 4, DualRangeMode::on},
    {Function::rsqrt, 1e-3, 8.0, 6, DualRangeMode::automatic},
    {Function::silu, -8.0, 8.0, 10, DualRangeMode::on},
    {Function::reciprocal, 0.0, 2.0, 12, DualRangeMode::automatic},
    {Function::exp, -8.0, 0.0, 13, DualRangeMode::automatic},
    {Function::tanh, -10000.0, 10100.0, 8, DualRangeMode::on},  // adjacent entries 65534 apart
    {Function::tanh, -10000.0, 10100.0, 5, DualRangeMode::off},
};

TEST(BespokeLut, TablesMatchAnIndependentConstruction) {
  for (const Case& c : kExhaustiveCases) {
    SCOPED_TRACE(case_name(c));
    LutOptions options;
    options.index_bits = c.bits;
    options.dual_range = c.dual;
    const BespokeLut lut = BespokeLut::build(c.f, c.a, c.b, options);
    const reference::Lut ref = reference_for(c);
    EXPECT_EQ(lut.out_scale(), ref.s_out);
    EXPECT_EQ(lut.input_step(), ref.D);
    EXPECT_EQ(lut.base_table(), ref.L);
    EXPECT_EQ(lut.dual_table(), ref.Dt);
  }
}

TEST(BespokeLut, EveryInputCodeMatchesTheIndependentLookupOnEveryKernel) {
  std::vector<uint16_t> codes(65536);
  std::iota(codes.begin(), codes.end(), 0);
  std::vector<int16_t> out(codes.size());
  for (const Case& c : kExhaustiveCases) {
    SCOPED_TRACE(case_name(c));
    LutOptions options;
    options.index_bits = c.bits;
    options.dual_range = c.dual;
    const BespokeLut lut = BespokeLut::build(c.f, c.a, c.b, options);
    const reference::Lut ref = reference_for(c);
    std::vector<int16_t> expected(codes.size());
    for (uint32_t u = 0; u < 65536; ++u) expected[u] = ref.lookup(u);

    int mismatches = 0;
    for (uint32_t u = 0; u < 65536 && mismatches < 5; ++u) {
      if (lut.lookup(static_cast<uint16_t>(u)) != expected[u]) {
        ADD_FAILURE() << "lookup(" << u << ") = " << lut.lookup(static_cast<uint16_t>(u)) << ", expected " << expected[u];
        ++mismatches;
      }
    }
    for (const LutKernel kernel : {LutKernel::scalar, LutKernel::avx2, LutKernel::avx512}) {
      if (!lut_kernel_supported(kernel, c.bits)) continue;
      SCOPED_TRACE(std::string(lut_kernel_name(kernel)));
      // Odd lengths and offsets exercise the vector bodies and the scalar tails.
      interpolate_batch_with(kernel, lut.packed(), codes.data() + 3, out.data() + 3, codes.size() - 3);
      interpolate_batch_with(kernel, lut.packed(), codes.data(), out.data(), 3);
      EXPECT_TRUE(out == expected);
    }
    lut.lookup_batch(codes.data(), out.data(), codes.size());
    EXPECT_TRUE(out == expected);
  }
}

TEST(BespokeLut, ScrambledBatchesMatchSingleLookups) {
  LutOptions options;
  options.dual_range = DualRangeMode::on;
  const BespokeLut lut = BespokeLut::build(Function::rsqrt, 1e-4, 4.0, options);
  std::vector<uint16_t> codes(4099);
  uint32_t state = 12345;
  for (auto& c : codes) {
    state = state * 1664525u + 1013904223u;
    c = static_cast<uint16_t>((state >> 8) & ((state & 1) ? 0xFF : 0xFFFF));  // half of them in interval 0
  }
  std::vector<int16_t> out(codes.size());
  lut.lookup_batch(codes.data(), out.data(), codes.size());
  for (size_t i = 0; i < codes.size(); ++i) ASSERT_EQ(out[i], lut.lookup(codes[i])) << "code " << codes[i];
}

TEST(BespokeLut, ExactAtSamplePoints) {
  LutOptions options;
  options.dual_range = DualRangeMode::on;
  for (const Function f : {Function::gelu, Function::exp, Function::rsqrt, Function::silu}) {
    SCOPED_TRACE(std::string(function_name(f)));
    const double a = f == Function::rsqrt ? 0.01 : -6.0, b = f == Function::rsqrt ? 9.0 : 3.0;
    const BespokeLut lut = BespokeLut::build(f, a, b, options);
    for (int j = 1; j < 256; ++j) {  // j = 0 is served by the dual table, which agrees there too
      const uint16_t u = static_cast<uint16_t>(j * 256);
      ASSERT_EQ(lut.lookup(u), lut.base_table()[static_cast<size_t>(j)]);
      // The stored value is f at the sample point within half an output step.
      EXPECT_NEAR(lut.output_value(lut.lookup(u)), ref_f(f, a + (256.0 * j) * lut.input_step()), lut.out_scale() / 2 + 1e-12);
    }
    for (int k = 0; k < 16; ++k) ASSERT_EQ(lut.lookup(static_cast<uint16_t>(16 * k)), lut.dual_table()[static_cast<size_t>(k)]);
    EXPECT_EQ(lut.dual_table()[0], lut.base_table()[0]);
    EXPECT_EQ(lut.dual_table()[16], lut.base_table()[1]);
  }
}

TEST(BespokeLut, MonotoneWhereTheFunctionIs) {
  const struct { Function f; double a, b; int direction; } cases[] = {
      {Function::exp, -16, 2, +1},     {Function::sigmoid, -9, 9, +1}, {Function::tanh, -3, 3, +1},
      {Function::sqrt, 0, 50, +1},     {Function::relu, -2, 7, +1},    {Function::rsqrt, 1e-4, 4, -1},
      {Function::reciprocal, 0, 8, -1}, {Function::gelu, 0, 8, +1},    {Function::silu, -1.2, 10, +1}};
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(function_name(c.f)));
    const BespokeLut lut = BespokeLut::build(c.f, c.a, c.b);
    for (uint32_t u = 1; u < 65536; ++u) {
      const int step = lut.lookup(static_cast<uint16_t>(u)) - lut.lookup(static_cast<uint16_t>(u - 1));
      ASSERT_GE(step * c.direction, 0) << "at u = " << u;
    }
  }
}

TEST(BespokeLut, DualTableCutsFirstIntervalErrorNearZero) {
  const struct { Function f; double a, b; } cases[] = {
      {Function::rsqrt, 0.0, 4.0}, {Function::rsqrt, 1e-4, 4.0}, {Function::rsqrt, 1e-3, 16.0},
      {Function::reciprocal, 0.0, 8.0}, {Function::reciprocal, 0.01, 8.0}, {Function::reciprocal, 0.05, 64.0}};
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(function_name(c.f)) + " from " + std::to_string(c.a));
    const BespokeLut lut = BespokeLut::build(c.f, c.a, c.b);
    ASSERT_TRUE(lut.has_dual_range());
    EXPECT_GT(lut.mape0_base(), kDefaultDualThreshold);
    EXPECT_LE(lut.mape0() * 5.0, lut.mape0_base()) << lut.mape0_base() << " -> " << lut.mape0();
    // The recorded MAPE_0 agrees with the independent computation.
    const auto f = [&](double x) { return ref_f(c.f, x); };
    reference::Lut ref = reference::build_base(f, c.a, c.b, 8);
    EXPECT_NEAR(lut.mape0_base(), reference::mape0(ref, f), 1e-12);
    reference::attach_dual(ref, f);
    EXPECT_NEAR(lut.mape0(), reference::mape0(ref, f), 1e-12);
    EXPECT_EQ(lut.table_bytes(), 548u);
  }
}

TEST(BespokeLut, ThresholdDecidesTheDualTable) {
  const BespokeLut probe = BespokeLut::build(Function::reciprocal, 0.05, 64.0);
  LutOptions options;
  options.threshold = probe.mape0_base() * 1.01;
  EXPECT_FALSE(BespokeLut::build(Function::reciprocal, 0.05, 64.0, options).has_dual_range());
  options.threshold = probe.mape0_base() * 0.99;
  EXPECT_TRUE(BespokeLut::build(Function::reciprocal, 0.05, 64.0, options).has_dual_range());
  options.dual_range = DualRangeMode::off;
  EXPECT_FALSE(BespokeLut::build(Function::reciprocal, 0.05, 64.0, options).has_dual_range());
  EXPECT_EQ(BespokeLut::build(Function::reciprocal, 0.05, 64.0, options).table_bytes(), 514u);
}

TEST(BespokeLut, GivenOutputScaleSaturates) {
  LutOptions options;
  options.out_scale = 1.0 / 1024;  // exp(x) above 32 saturates
  const BespokeLut lut = BespokeLut::build(Function::exp, 0.0, 8.0, options);
  EXPECT_EQ(lut.out_scale(), 1.0 / 1024);
  EXPECT_EQ(lut.base_table().front(), 1024);
  EXPECT_EQ(lut.base_table().back(), 32767);
}

TEST(BespokeLut, CodeOfRoundsAndClamps) {
  const BespokeLut lut = BespokeLut::build(Function::gelu, -8.0, 8.0);
  EXPECT_EQ(lut.code_of(-8.0), 0);
  EXPECT_EQ(lut.code_of(-100.0), 0);
  EXPECT_EQ(lut.code_of(100.0), 65535);
  EXPECT_EQ(lut.code_of(0.0), 32768);
  EXPECT_EQ(lut.code_of(-8.0 + 2.5 * lut.input_step()), 3);  // half away from zero
  EXPECT_EQ(lut.input_of(32768), 0.0);
  EXPECT_THROW(lut.code_of(std::nan("")), Error);
}

TEST(BespokeLut, FromTablesRebuildsTheSameLut) {
  LutOptions options;
  options.dual_range = DualRangeMode::on;
  const BespokeLut lut = BespokeLut::build(Function::silu, -5, 5, options);
  const BespokeLut copy = BespokeLut::from_tables(Function::silu, -5, 5, 8, lut.out_scale(), lut.base_table(), lut.dual_table());
  EXPECT_TRUE(copy == lut);
  EXPECT_EQ(copy.mape0(), lut.mape0());
  EXPECT_THROW(BespokeLut::from_tables(Function::silu, -5, 5, 8, lut.out_scale(), std::vector<int16_t>(256), {}), Error);
  EXPECT_THROW(BespokeLut::from_tables(Function::silu, -5, 5, 8, lut.out_scale(), lut.base_table(), std::vector<int16_t>(16)), Error);
  EXPECT_THROW(BespokeLut::from_tables(Function::silu, -5, 5, 8, 0.0, lut.base_table(), {}), Error);
  EXPECT_FALSE(lut.without_dual_range().has_dual_range());
  EXPECT_EQ(lut.without_dual_range().mape0(), lut.mape0_base());
}

void expect_error(const std::function<void()>& body, const std::string& fragment) {
  try {
    body();
    ADD_FAILURE() << "no error; expected one mentioning '" << fragment << "'";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
  }
}

TEST(BespokeLut, BadInputIsAClearError) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  expect_error([] { BespokeLut::build(Function::gelu, 1.0, 1.0); }, "min < max");
  expect_error([] { BespokeLut::build(Function::gelu, 2.0, 1.0); }, "min < max");
  expect_error([&] { BespokeLut::build(Function::gelu, nan, 1.0); }, "must be numbers");
  expect_error([&] { BespokeLut::build(Function::gelu, 0.0, inf); }, "finite");
  for (const int bits : {3, 14, 0, -1}) {
    LutOptions options;
    options.index_bits = bits;
    expect_error([&] { BespokeLut::build(Function::gelu, -1, 1, options); }, "index bits must be in 4..13");
  }
  LutOptions dual13;
  dual13.index_bits = 13;
  dual13.dual_range = DualRangeMode::on;
  expect_error([&] { BespokeLut::build(Function::gelu, -1, 1, dual13); }, "index bits <= 12");
  LutOptions bad_scale;
  bad_scale.out_scale = -1.0;
  expect_error([&] { BespokeLut::build(Function::gelu, -1, 1, bad_scale); }, "output scale");
  bad_scale.out_scale = nan;
  expect_error([&] { BespokeLut::build(Function::gelu, -1, 1, bad_scale); }, "output scale");
  LutOptions bad_threshold;
  bad_threshold.threshold = -0.1;
  expect_error([&] { BespokeLut::build(Function::gelu, -1, 1, bad_threshold); }, "threshold");
  expect_error([] { BespokeLut::build(Function::rsqrt, -1.0, 1.0); }, "undefined");
  expect_error([] { BespokeLut::build(Function::reciprocal, -1.0, 1.0); }, "pole");
  expect_error([] { parse_function("gelx"); }, "did you mean 'gelu'");
  expect_error([] { parse_dual_range_mode("maybe"); }, "auto, on or off");
}

TEST(LutError, IntervalFiguresAgreeWithADirectComputation) {
  const BespokeLut lut = BespokeLut::build(Function::gelu, -4.0, 4.0);
  const LutErrorSummary summary = measure_lut_error(lut);
  ASSERT_EQ(summary.intervals.size(), 256u);
  double worst = 0, max_abs = 0;
  for (int j : {0, 17, 128, 255}) {
    double sum = 0;
    int n = 0;
    for (int w = 0; w < 256; ++w) {
      const uint16_t u = static_cast<uint16_t>(j * 256 + w);
      const double truth = ref_f(Function::gelu, -4.0 + u * lut.input_step());
      if (std::fabs(truth) < lut.out_scale() / 2) continue;
      sum += std::fabs(truth - lut.out_scale() * lut.lookup(u)) / std::fabs(truth);
      ++n;
    }
    EXPECT_NEAR(summary.intervals[static_cast<size_t>(j)].mape, n ? sum / n : 0.0, 1e-12) << "interval " << j;
    EXPECT_EQ(summary.intervals[static_cast<size_t>(j)].counted, n);
  }
  for (const auto& e : summary.intervals) {
    worst = std::max(worst, e.mape);
    max_abs = std::max(max_abs, e.max_abs_error);
  }
  EXPECT_EQ(summary.intervals[static_cast<size_t>(summary.worst_interval)].mape, worst);
  EXPECT_EQ(summary.max_abs_error, max_abs);
  EXPECT_EQ(summary.counted + summary.skipped, 65536);
  // Interpolation of a smooth function on 256 intervals over [-4, 4]: well under 1 % of the range.
  EXPECT_LT(summary.max_abs_error, 4.0 * 1e-3);
}

}  // namespace
}  // namespace npusim
