// Error of one method against the double-precision function over a range, per interval as in the
// paper's interval-error figure.
#pragma once

#include <vector>

#include "models/methods/approximation.hpp"

namespace npusim {

struct ApproximationError {
  Method method = Method::fp32;
  double max_abs_error = 0.0;
  double mean_abs_error = 0.0;
  // Over the points where |f| >= max|f| / 65534 (half an INT16 step); NaN where no point counts (nothing
  // was measured: print n/a, not 0).
  double mape = 0.0;
  int worst_interval = 0;             // by MAPE, among the measured intervals
  std::vector<double> interval_start; // x of each interval's first point
  std::vector<double> interval_mape;  // one per interval, NaN where no point counts
  int64_t table_bytes = 0;
  double cycles_per_lookup = 0.0;
};

// `intervals` equal intervals of `points_per_interval` evenly spaced points each.
ApproximationError measure_approximation(const Approximation& approximation, Function f, double range_min,
                                         double range_max, int intervals = 256, int points_per_interval = 64);

}  // namespace npusim
