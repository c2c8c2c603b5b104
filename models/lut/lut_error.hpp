// Error of a LUT against the golden function over all 65,536 input codes (SPEC 2.3's metric).
#pragma once

#include <cstdint>
#include <vector>

#include "models/lut/bespoke_lut.hpp"

namespace npusim {

struct IntervalError {
  int interval = 0;
  double x_start = 0.0;       // x of the interval's first code
  double x_end = 0.0;         // x of the next interval's first code (b for the last)
  double mape = 0.0;          // mean |f - y_hat| / |f| over the counted codes
  double max_abs_error = 0.0;
  int counted = 0;            // codes in the relative-error mean
  int skipped = 0;            // |f| < s_out / 2 or f not finite
};

struct LutErrorSummary {
  std::vector<IntervalError> intervals;  // one per base interval
  double max_abs_error = 0.0;            // over every code where f is finite
  double mean_abs_error = 0.0;
  double mean_relative_error = 0.0;      // over the counted codes of all intervals
  int64_t counted = 0;
  int64_t skipped = 0;
  int worst_interval = 0;                // highest MAPE
};

// Every code of every interval, through the LUT as built (with its dual-range table if attached).
LutErrorSummary measure_lut_error(const BespokeLut& lut);

// MAPE of one base interval (SPEC 2.3); 0 when no code in it counts.
double interval_mape(const BespokeLut& lut, int interval);

// Whether some code of the interval counts (|f| >= s_out / 2): where none does, its MAPE was not measured
// and reports print "n/a", not the 0 above (exp and GELU at the low end of their range).
bool interval_mape_measured(const BespokeLut& lut, int interval);

}  // namespace npusim
