#include "models/lut/lut_error.hpp"

#include <cmath>

namespace npusim {

namespace {

struct CodeError {
  bool finite;     // f(x(u)) is a number: the absolute error means something
  bool counted;    // ... and is at least half an output step: the relative error means something too
  double abs_error;
  double rel_error;
};

CodeError code_error(const BespokeLut& lut, uint16_t code) {
  const double truth = evaluate(lut.function(), lut.input_of(code));
  CodeError e{};
  e.finite = std::isfinite(truth);
  if (!e.finite) return e;
  e.abs_error = std::fabs(truth - lut.output_value(lut.lookup(code)));
  e.counted = std::fabs(truth) >= lut.out_scale() / 2;
  e.rel_error = e.counted ? e.abs_error / std::fabs(truth) : 0.0;
  return e;
}

}  // namespace

double interval_mape(const BespokeLut& lut, int interval) {
  const int width = lut.codes_per_interval();
  double sum = 0.0;
  int counted = 0;
  for (int offset = 0; offset < width; ++offset) {
    const CodeError e = code_error(lut, static_cast<uint16_t>(interval * width + offset));
    if (e.counted) {
      sum += e.rel_error;
      ++counted;
    }
  }
  return counted > 0 ? sum / counted : 0.0;
}

bool interval_mape_measured(const BespokeLut& lut, int interval) {
  const int width = lut.codes_per_interval();
  for (int offset = 0; offset < width; ++offset) {
    if (code_error(lut, static_cast<uint16_t>(interval * width + offset)).counted) return true;
  }
  return false;
}

LutErrorSummary measure_lut_error(const BespokeLut& lut) {
  LutErrorSummary summary;
  const int width = lut.codes_per_interval();
  double abs_sum = 0.0, rel_sum = 0.0;
  int64_t finite = 0;
  for (int j = 0; j < lut.intervals(); ++j) {
    IntervalError interval;
    interval.interval = j;
    interval.x_start = lut.input_of(static_cast<uint16_t>(j * width));
    interval.x_end = j + 1 < lut.intervals() ? lut.input_of(static_cast<uint16_t>((j + 1) * width)) : lut.range_max();
    double interval_rel_sum = 0.0;
    for (int offset = 0; offset < width; ++offset) {
      const CodeError e = code_error(lut, static_cast<uint16_t>(j * width + offset));
      if (!e.finite) {
        ++interval.skipped;
        continue;
      }
      ++finite;
      abs_sum += e.abs_error;
      interval.max_abs_error = std::max(interval.max_abs_error, e.abs_error);
      if (e.counted) {
        interval_rel_sum += e.rel_error;
        ++interval.counted;
      } else {
        ++interval.skipped;
      }
    }
    interval.mape = interval.counted > 0 ? interval_rel_sum / interval.counted : 0.0;
    rel_sum += interval_rel_sum;
    summary.counted += interval.counted;
    summary.skipped += interval.skipped;
    summary.max_abs_error = std::max(summary.max_abs_error, interval.max_abs_error);
    summary.intervals.push_back(interval);
    if (interval.mape > summary.intervals[static_cast<size_t>(summary.worst_interval)].mape) summary.worst_interval = j;
  }
  summary.mean_abs_error = finite > 0 ? abs_sum / static_cast<double>(finite) : 0.0;
  summary.mean_relative_error = summary.counted > 0 ? rel_sum / static_cast<double>(summary.counted) : 0.0;
  return summary;
}

}  // namespace npusim
