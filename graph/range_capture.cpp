#include "graph/range_capture.hpp"

#include <algorithm>

namespace npusim::graph {

void RangeCapture::observe(const NonlinearInstance& instance, const Model& model, const Tensor& input) {
  for (const auto& [f, values] : lut_inputs(instance, model, input)) {
    if (values.empty()) continue;
    const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
    RangeStats& s = ranges_[instance.layer][f];
    if (s.samples == 0) {
      s.min = s.ema_min = *lo;
      s.max = s.ema_max = *hi;
    } else {
      s.min = std::min(s.min, *lo);
      s.max = std::max(s.max, *hi);
      s.ema_min = (1.0 - ema_constant_) * s.ema_min + ema_constant_ * *lo;
      s.ema_max = (1.0 - ema_constant_) * s.ema_max + ema_constant_ * *hi;
    }
    ++s.samples;
    s.sample_ranges.emplace_back(*lo, *hi);
  }
}

int64_t RangeStats::samples_outside_ema() const {
  int64_t outside = 0;
  for (const auto& [lo, hi] : sample_ranges) outside += lo < ema_min || hi > ema_max ? 1 : 0;
  return outside;
}

}  // namespace npusim::graph
