// Uniform asymmetric quantization and range calibration (SPEC 2.1).
#pragma once

#include <cstdint>
#include <optional>

namespace npusim {

// Round half away from zero (SPEC's rha). Saturates to the int64 range; NaN throws.
int64_t round_half_away(double v);

inline int64_t clamp_int(int64_t v, int64_t lo, int64_t hi) { return v < lo ? lo : (v > hi ? hi : v); }

struct QuantParams {
  double scale = 1.0;
  int64_t zero_point = 0;
  int64_t qmin = 0;
  int64_t qmax = 0;
};

// s = (xmax - xmin) / 2^b, z = qmin - rha(xmin / s). Throws for xmin >= xmax, NaN or bits outside 2..32.
QuantParams asymmetric_params(double xmin, double xmax, int bits, bool is_signed);

// q = clamp(rha(x / s) + z, qmin, qmax)
int64_t quantize(double x, const QuantParams& params);
// x = s * (q - z)
double dequantize(int64_t q, const QuantParams& params);

// Per-tensor min/max calibration, absolute or as an exponential moving average of each batch's
// min and max (the usual PTQ observer: avg = (1 - momentum) * avg + momentum * batch).
class RangeCalibrator {
 public:
  static RangeCalibrator min_max() { return RangeCalibrator(std::nullopt); }
  static RangeCalibrator moving_average(double momentum);  // momentum in (0, 1]

  // One batch of observations; NaN values throw.
  void observe(const float* values, size_t count);
  void observe(const double* values, size_t count);

  bool has_range() const { return batches_ > 0; }
  // The calibrated [min, max]; throws when nothing has been observed.
  double range_min() const;
  double range_max() const;
  int64_t batches() const { return batches_; }

 private:
  explicit RangeCalibrator(std::optional<double> momentum) : momentum_(momentum) {}
  void merge_batch(double batch_min, double batch_max);

  std::optional<double> momentum_;
  double min_ = 0.0;
  double max_ = 0.0;
  int64_t batches_ = 0;
};

}  // namespace npusim
