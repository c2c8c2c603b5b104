#include "hw/mau_timing.hpp"

#include <cmath>

namespace npusim::hw {

namespace {
int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
}  // namespace

GemmCost MauTiming::gemm(const GemmShape& s) const {
  const int64_t rows = config_.rows, cols = config_.cols;
  GemmCost cost;
  int64_t per_fold = 0;
  if (config_.dataflow == Dataflow::weight_stationary) {
    cost.folds = ceil_div(s.k, rows) * ceil_div(s.n, cols);
    per_fold = 2 * rows + cols + s.m - 2;
  } else {
    cost.folds = ceil_div(s.m, rows) * ceil_div(s.n, cols);
    per_fold = 2 * rows + cols + s.k - 2;
  }
  cost.folds *= s.batch;
  const int64_t rate = s.int16 ? config_.int16_rate_divisor : 1;
  const double cycles = static_cast<double>(cost.folds * per_fold * rate) / config_.compute_efficiency;
  cost.cycles = static_cast<int64_t>(std::ceil(cycles));
  cost.ideal_cycles = ceil_div(s.m * s.k * s.n * s.batch * rate, rows * cols);
  return cost;
}

int64_t MauTiming::vector_cycles(int64_t elements, int64_t passes) const {
  return ceil_div(elements * passes, config_.vector_lanes);
}

}  // namespace npusim::hw
