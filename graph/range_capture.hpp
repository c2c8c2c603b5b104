// Calibration capture: per instance and LUT function, the min and max of the function's inputs over
// all samples, and their exponential moving average over samples (first sample as the start, then
// ema = (1 - c) * ema + c * sample, c = ema_constant), as PTQ observers keep them.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "graph/instance_rows.hpp"

namespace npusim::graph {

struct RangeStats {
  double min = 0.0, max = 0.0;
  double ema_min = 0.0, ema_max = 0.0;
  int64_t samples = 0;
  std::vector<std::pair<double, double>> sample_ranges;  // each sample's own min and max

  // Samples reaching outside the EMA range: their extremes would be clamped by tables over it.
  int64_t samples_outside_ema() const;
};

class RangeCapture {
 public:
  explicit RangeCapture(double ema_constant = 0.1) : ema_constant_(ema_constant) {}

  // One sample's input of the instance.
  void observe(const NonlinearInstance& instance, const Model& model, const Tensor& input);
  // Layer -> function -> statistics.
  const std::map<std::string, std::map<Function, RangeStats>>& ranges() const { return ranges_; }
  double ema_constant() const { return ema_constant_; }

 private:
  double ema_constant_;
  std::map<std::string, std::map<Function, RangeStats>> ranges_;
};

}  // namespace npusim::graph
