// The error of one method's composite op against double precision on the input it receives, measured
// row block by row block (so that a 4096 x 4096 measurement holds no full-size output or reference).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/composite/composite_ops.hpp"

namespace npusim {

struct CompositeError {
  double max_abs_error = 0.0;
  double mean_abs_error = 0.0;
  // Mean |error| / |reference| over the elements with |reference| >= max |reference| / 65534 (half an INT16
  // step of the largest); NaN where none counts.
  double mape = 0.0;
  int64_t worst_row = 0;
  std::vector<double> row_max_error;  // the largest |error| of each row
};

CompositeError measure_composite(const CompositeComputation& computation);

}  // namespace npusim
