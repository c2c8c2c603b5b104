#include "models/core/quantization.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "common/error.hpp"

namespace npusim {
namespace {

TEST(Quantization, RoundHalfAwayFromZero) {
  EXPECT_EQ(round_half_away(0.5), 1);
  EXPECT_EQ(round_half_away(-0.5), -1);
  EXPECT_EQ(round_half_away(1.5), 2);
  EXPECT_EQ(round_half_away(-2.5), -3);
  EXPECT_EQ(round_half_away(0.49999999999999994), 0);
  EXPECT_EQ(round_half_away(-1.4), -1);
  EXPECT_EQ(round_half_away(1e300), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(round_half_away(-1e300), std::numeric_limits<int64_t>::min());
  EXPECT_THROW(round_half_away(std::nan("")), Error);
}

TEST(Quantization, ParamsFollowSpec21) {
  // s = (xmax - xmin) / 2^b, z = qmin - rha(xmin / s)
  const QuantParams p = asymmetric_params(-1.0, 3.0, 8, true);
  EXPECT_DOUBLE_EQ(p.scale, 4.0 / 256.0);
  EXPECT_EQ(p.qmin, -128);
  EXPECT_EQ(p.qmax, 127);
  EXPECT_EQ(p.zero_point, -128 - (-64));
  const QuantParams u = asymmetric_params(0.0, 6.0, 8, false);
  EXPECT_EQ(u.qmin, 0);
  EXPECT_EQ(u.qmax, 255);
  EXPECT_EQ(u.zero_point, 0);
}

TEST(Quantization, QuantizeClampsAndDequantizeInverts) {
  const QuantParams p = asymmetric_params(-1.0, 3.0, 8, true);
  EXPECT_EQ(quantize(-1.0, p), -128);
  EXPECT_EQ(quantize(100.0, p), 127);
  EXPECT_EQ(quantize(-100.0, p), -128);
  for (int64_t q = p.qmin; q <= p.qmax; ++q) EXPECT_EQ(quantize(dequantize(q, p), p), q);
  // Half a step rounds away from zero: x / s = 0.5 + q step
  EXPECT_EQ(quantize(0.5 * p.scale, p), 1 + p.zero_point);
  EXPECT_EQ(quantize(-0.5 * p.scale, p), -1 + p.zero_point);
}

TEST(Quantization, BadParamsAreErrors) {
  EXPECT_THROW(asymmetric_params(1.0, 1.0, 8, true), Error);
  EXPECT_THROW(asymmetric_params(2.0, 1.0, 8, true), Error);
  EXPECT_THROW(asymmetric_params(std::nan(""), 1.0, 8, true), Error);
  EXPECT_THROW(asymmetric_params(0.0, 1.0, 1, true), Error);
  EXPECT_THROW(asymmetric_params(0.0, 1.0, 33, true), Error);
}

TEST(Calibration, MinMaxKeepsTheExtremes) {
  RangeCalibrator c = RangeCalibrator::min_max();
  EXPECT_FALSE(c.has_range());
  EXPECT_THROW(c.range_min(), Error);
  const std::vector<double> a = {1.0, -2.0, 0.5}, b = {3.0, 0.0};
  c.observe(a.data(), a.size());
  c.observe(b.data(), b.size());
  EXPECT_EQ(c.range_min(), -2.0);
  EXPECT_EQ(c.range_max(), 3.0);
  EXPECT_EQ(c.batches(), 2);
}

TEST(Calibration, MovingAverageBlendsBatchExtremes) {
  RangeCalibrator c = RangeCalibrator::moving_average(0.25);
  const std::vector<float> a = {-4.0f, 4.0f}, b = {0.0f, 8.0f};
  c.observe(a.data(), a.size());
  c.observe(b.data(), b.size());
  EXPECT_DOUBLE_EQ(c.range_min(), 0.75 * -4.0 + 0.25 * 0.0);
  EXPECT_DOUBLE_EQ(c.range_max(), 0.75 * 4.0 + 0.25 * 8.0);
  EXPECT_THROW(RangeCalibrator::moving_average(0.0), Error);
  EXPECT_THROW(RangeCalibrator::moving_average(1.5), Error);
  const std::vector<double> bad = {1.0, std::nan("")};
  EXPECT_THROW(c.observe(bad.data(), bad.size()), Error);
}

}  // namespace
}  // namespace npusim
