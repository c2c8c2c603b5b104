#include "models/core/quantization.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "common/error.hpp"

namespace npusim {

int64_t round_half_away(double v) {
  if (std::isnan(v)) throw Error("cannot round NaN");
  // 2^63 is exactly representable; anything at or beyond it saturates.
  constexpr double kLimit = 9223372036854775808.0;
  if (v >= kLimit) return std::numeric_limits<int64_t>::max();
  if (v <= -kLimit) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(std::round(v));  // std::round is half away from zero
}

QuantParams asymmetric_params(double xmin, double xmax, int bits, bool is_signed) {
  if (std::isnan(xmin) || std::isnan(xmax) || !std::isfinite(xmin) || !std::isfinite(xmax)) {
    throw Error("quantization range must be finite, got [" + std::to_string(xmin) + ", " + std::to_string(xmax) + "]");
  }
  if (!(xmin < xmax)) {
    throw Error("quantization range needs min < max, got [" + std::to_string(xmin) + ", " + std::to_string(xmax) + "]");
  }
  if (bits < 2 || bits > 32) throw Error("quantization bits must be in 2..32, got " + std::to_string(bits));
  QuantParams p;
  const double levels = std::ldexp(1.0, bits);
  p.qmin = is_signed ? -(int64_t{1} << (bits - 1)) : 0;
  p.qmax = is_signed ? (int64_t{1} << (bits - 1)) - 1 : (int64_t{1} << bits) - 1;
  p.scale = (xmax - xmin) / levels;
  p.zero_point = p.qmin - round_half_away(xmin / p.scale);
  return p;
}

int64_t quantize(double x, const QuantParams& params) {
  const int64_t r = round_half_away(x / params.scale);
  // Saturating add: r may be at the int64 limits.
  const int64_t shifted = (params.zero_point > 0 && r > std::numeric_limits<int64_t>::max() - params.zero_point)
                              ? std::numeric_limits<int64_t>::max()
                          : (params.zero_point < 0 && r < std::numeric_limits<int64_t>::min() - params.zero_point)
                              ? std::numeric_limits<int64_t>::min()
                              : r + params.zero_point;
  return clamp_int(shifted, params.qmin, params.qmax);
}

double dequantize(int64_t q, const QuantParams& params) {
  return params.scale * static_cast<double>(q - params.zero_point);
}

RangeCalibrator RangeCalibrator::moving_average(double momentum) {
  if (!(momentum > 0.0 && momentum <= 1.0)) {
    throw Error("EMA momentum must be in (0, 1], got " + std::to_string(momentum));
  }
  return RangeCalibrator(momentum);
}

void RangeCalibrator::observe(const float* values, size_t count) {
  if (count == 0) return;
  double lo = values[0], hi = values[0];
  for (size_t i = 0; i < count; ++i) {
    if (std::isnan(values[i])) throw Error("calibration data contains NaN");
    lo = std::min<double>(lo, values[i]);
    hi = std::max<double>(hi, values[i]);
  }
  merge_batch(lo, hi);
}

void RangeCalibrator::observe(const double* values, size_t count) {
  if (count == 0) return;
  double lo = values[0], hi = values[0];
  for (size_t i = 0; i < count; ++i) {
    if (std::isnan(values[i])) throw Error("calibration data contains NaN");
    lo = std::min(lo, values[i]);
    hi = std::max(hi, values[i]);
  }
  merge_batch(lo, hi);
}

void RangeCalibrator::merge_batch(double batch_min, double batch_max) {
  if (batches_ == 0) {
    min_ = batch_min;
    max_ = batch_max;
  } else if (momentum_) {
    min_ = (1.0 - *momentum_) * min_ + *momentum_ * batch_min;
    max_ = (1.0 - *momentum_) * max_ + *momentum_ * batch_max;
  } else {
    min_ = std::min(min_, batch_min);
    max_ = std::max(max_, batch_max);
  }
  ++batches_;
}

double RangeCalibrator::range_min() const {
  if (batches_ == 0) throw Error("calibration has observed no data");
  return min_;
}

double RangeCalibrator::range_max() const {
  if (batches_ == 0) throw Error("calibration has observed no data");
  return max_;
}

}  // namespace npusim
