#include "models/methods/approximation_error.hpp"

#include <cmath>

namespace npusim {

ApproximationError measure_approximation(const Approximation& approximation, Function f, double a, double b,
                                         int intervals, int points_per_interval) {
  ApproximationError e;
  e.method = approximation.method;
  e.table_bytes = approximation.table_bytes;
  e.cycles_per_lookup = approximation.cycles_per_lookup;
  const int points = intervals * points_per_interval;
  const double step = (b - a) / points;
  std::vector<double> truth(static_cast<size_t>(points));
  double largest = 0.0;
  for (int i = 0; i < points; ++i) {
    truth[static_cast<size_t>(i)] = evaluate(f, a + i * step);
    if (std::isfinite(truth[static_cast<size_t>(i)])) largest = std::max(largest, std::fabs(truth[static_cast<size_t>(i)]));
  }
  const double floor = largest / 65534.0;
  // The method's values at every point: in one batched call where it has one.
  std::vector<double> xs(static_cast<size_t>(points)), ys(xs.size());
  for (int i = 0; i < points; ++i) xs[static_cast<size_t>(i)] = a + i * step;
  if (approximation.evaluate_batch) {
    approximation.evaluate_batch(xs.data(), ys.data(), xs.size());
  } else {
    for (size_t i = 0; i < xs.size(); ++i) ys[i] = std::isfinite(truth[i]) ? approximation.evaluate(xs[i]) : 0.0;
  }
  double abs_sum = 0.0, rel_sum = 0.0;
  int64_t finite = 0, counted = 0;
  for (int j = 0; j < intervals; ++j) {
    double interval_sum = 0.0;
    int interval_counted = 0;
    for (int k = 0; k < points_per_interval; ++k) {
      const int i = j * points_per_interval + k;
      const double t = truth[static_cast<size_t>(i)];
      if (!std::isfinite(t)) continue;
      const double err = std::fabs(ys[static_cast<size_t>(i)] - t);
      e.max_abs_error = std::max(e.max_abs_error, err);
      abs_sum += err;
      ++finite;
      if (std::fabs(t) >= floor && std::fabs(t) > 0) {
        interval_sum += err / std::fabs(t);
        ++interval_counted;
      }
    }
    e.interval_start.push_back(a + j * points_per_interval * step);
    e.interval_mape.push_back(interval_counted ? interval_sum / interval_counted : std::nan(""));
    rel_sum += interval_sum;
    counted += interval_counted;
    const double worst = e.interval_mape[static_cast<size_t>(e.worst_interval)];
    if (interval_counted && (std::isnan(worst) || e.interval_mape.back() > worst)) e.worst_interval = j;
  }
  e.mean_abs_error = finite ? abs_sum / static_cast<double>(finite) : 0.0;
  e.mape = counted ? rel_sum / static_cast<double>(counted) : std::nan("");
  return e;
}

}  // namespace npusim
