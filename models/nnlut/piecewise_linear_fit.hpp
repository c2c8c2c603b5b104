// Continuous piecewise-linear least-squares fits of a function over a range: the reference NN-LUT is
// measured against (the best a table with the same number of segments can do in the mean-square sense)
// and the curvature-spread breakpoints NN-LUT's training starts from.
#pragma once

#include <vector>

#include "models/core/golden_functions.hpp"

namespace npusim {

// `count` breakpoints strictly inside (lo, hi), spread so that each holds an equal share of
// integral |f''|^(2/5) (the asymptotically optimal density for a least-squares piecewise-linear fit),
// plus a small uniform share so flat stretches still get some; sorted.
std::vector<double> curvature_breakpoints(Function f, double lo, double hi, int count);

// y(x) = sum over segments: slope_k x + intercept_k on [breakpoint_{k-1}, breakpoint_k).
struct PiecewiseLinearFit {
  std::vector<double> breakpoints;  // sorted, segments - 1 of them
  std::vector<double> slopes;       // one per segment
  std::vector<double> intercepts;
  double mean_square_error = 0.0;   // over the fitting samples
};

// Least squares over `samples` evenly spaced points of [lo, hi] for continuous piecewise-linear functions
// with `segments` segments: breakpoints start at curvature_breakpoints and move by gradient descent on the
// mean-square error (the linear coefficients solved exactly at every step), for at most `iterations` steps.
// Deterministic. Throws npusim::Error for a bad range, a segment count outside 1..1024 or a function that
// is not finite on the range.
PiecewiseLinearFit fit_piecewise_linear(Function f, double lo, double hi, int segments, int samples = 2048,
                                        int iterations = 200);

// The same fit for fixed breakpoints (sorted, inside (lo, hi)).
PiecewiseLinearFit fit_piecewise_linear_at(Function f, double lo, double hi, const std::vector<double>& breakpoints,
                                           int samples = 2048);

}  // namespace npusim
