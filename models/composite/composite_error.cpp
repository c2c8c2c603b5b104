#include "models/composite/composite_error.hpp"

#include <algorithm>
#include <cmath>

#include "models/composite/row_kernels.hpp"

namespace npusim {

CompositeError measure_composite(const CompositeComputation& c) {
  const int64_t n = c.cols();
  std::vector<double> reference(static_cast<size_t>(n));
  // The relative error counts only where the reference is at least half an INT16 step of its largest value.
  double largest = 0;
  for (int64_t r = 0; r < c.rows(); ++r) largest = std::max(largest, c.reference_largest(r));
  const double floor = largest / 65534.0;

  CompositeError e;
  e.row_max_error.assign(static_cast<size_t>(c.rows()), 0.0);
  const int64_t block = std::max<int64_t>(1, (int64_t{1} << 16) / n);  // rows per batched call
  std::vector<double> output(static_cast<size_t>(block * n));
  double abs_sum = 0, rel_sum = 0;
  int64_t counted = 0;
  for (int64_t first = 0; first < c.rows(); first += block) {
    const int64_t count = std::min(block, c.rows() - first);
    c.output(first, count, output.data());
    for (int64_t r = 0; r < count; ++r) {
      c.reference(first + r, reference.data());
      const double* y = &output[static_cast<size_t>(r * n)];
      const RowErrorSums row = row_error_sums(y, reference.data(), n, floor);
      abs_sum += row.abs_sum;
      rel_sum += row.rel_sum;
      counted += row.counted;
      e.row_max_error[static_cast<size_t>(first + r)] = row.max_error;
    }
  }
  for (size_t r = 0; r < e.row_max_error.size(); ++r) {
    if (e.row_max_error[r] > e.row_max_error[static_cast<size_t>(e.worst_row)]) e.worst_row = static_cast<int64_t>(r);
  }
  e.max_abs_error = e.row_max_error[static_cast<size_t>(e.worst_row)];
  e.mean_abs_error = abs_sum / static_cast<double>(c.rows() * n);
  e.mape = counted ? rel_sum / static_cast<double>(counted) : std::nan("");
  return e;
}

}  // namespace npusim
