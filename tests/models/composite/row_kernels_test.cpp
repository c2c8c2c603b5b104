#include "models/composite/row_kernels.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <tuple>

#include "models/core/quantization.hpp"

namespace npusim {
namespace {

TEST(RowKernels, QuantizeIsSpecQuantizeMinusTheZeroPointIncludingTies) {
  std::mt19937_64 rng(3);
  for (const auto& [lo, hi, bits] : {std::tuple{-3.0, 5.0, 8}, std::tuple{-1e-3, 2e-3, 16}, std::tuple{100.0, 101.0, 8}, std::tuple{-0.5, 0.5, 16}}) {
    const QuantParams p = asymmetric_params(lo, hi, bits, true);
    std::uniform_real_distribution<double> any(lo - (hi - lo), hi + (hi - lo));  // beyond the range: clamped
    std::vector<double> x;
    for (int i = 0; i < 10001; ++i) x.push_back(any(rng));
    // Exact ties of x / s (k + 0.5), both signs: rha rounds them away from zero.
    for (int k = -300; k <= 300; ++k) x.push_back((k + 0.5) * p.scale);
    std::vector<int32_t> out(x.size());
    quantize_values(x.data(), x.size(), p.scale, p.zero_point, p.qmin, p.qmax, out.data());
    for (size_t i = 0; i < x.size(); ++i) ASSERT_EQ(out[i], quantize(x[i], p) - p.zero_point) << x[i];
  }
}

TEST(RowKernels, ErrorSumsAndRanges) {
  std::vector<double> y, ref;
  for (int i = 0; i < 103; ++i) {
    ref.push_back(i % 7 == 0 ? 0.0 : std::sin(i) * 2);
    y.push_back(ref.back() + 1e-3 * std::cos(3 * i));
  }
  const RowErrorSums s = row_error_sums(y.data(), ref.data(), 103, 0.5);
  double max_error = 0, abs_sum = 0, rel_sum = 0;
  int64_t counted = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    const double err = std::fabs(y[i] - ref[i]);
    max_error = std::max(max_error, err);
    abs_sum += err;
    if (std::fabs(ref[i]) >= 0.5 && ref[i] != 0) rel_sum += err / std::fabs(ref[i]), ++counted;
  }
  EXPECT_EQ(s.max_error, max_error);
  EXPECT_NEAR(s.abs_sum, abs_sum, 1e-15 * abs_sum);
  EXPECT_NEAR(s.rel_sum, rel_sum, 1e-15 * rel_sum);
  EXPECT_EQ(s.counted, counted);
  const DoubleRange r = value_range(ref.data(), ref.size());
  EXPECT_EQ(r.min, *std::min_element(ref.begin(), ref.end()));
  EXPECT_EQ(r.max, *std::max_element(ref.begin(), ref.end()));
  const std::vector<int32_t> ints = {5, -7, 3, 2147483647, -2147483647 - 1, 0, 9, 1, 2, 3, 4};
  EXPECT_EQ(value_range(ints.data(), ints.size()).min, -2147483647 - 1);
  EXPECT_EQ(value_range(ints.data(), ints.size()).max, 2147483647);
  EXPECT_EQ(value_range(ints.data(), 3).max, 5);
}

}  // namespace
}  // namespace npusim
