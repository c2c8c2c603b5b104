#include "models/nnlut/piecewise_linear_fit.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <string>

#include "common/error.hpp"

namespace npusim {

namespace {

void check_fit_arguments(Function f, double lo, double hi, int segments) {
  if (!(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi)) throw Error("a piecewise-linear fit needs a finite range min < max");
  if (segments < 1 || segments > 1024) throw Error("a piecewise-linear fit needs 1..1024 segments, got " + std::to_string(segments));
  (void)f;
}

// The fit in normalised coordinates t = (x - mid) / half in [-1, 1]: y = c0 + c1 t + sum w_i relu(t - d_i).
struct NormalisedProblem {
  double mid = 0, half = 1;
  Eigen::VectorXd t, y;

  NormalisedProblem(Function f, double lo, double hi, int samples) : mid((lo + hi) / 2), half((hi - lo) / 2), t(samples), y(samples) {
    for (int s = 0; s < samples; ++s) {
      const double x = lo + (hi - lo) * (s + 0.5) / samples;
      t[s] = (x - mid) / half;
      y[s] = evaluate(f, x);
      if (!std::isfinite(y[s])) throw Error(std::string(function_name(f)) + " is not finite on the range of a piecewise-linear fit");
    }
  }

  struct Solution {
    Eigen::VectorXd coefficients;  // c0, c1, w_0 .. w_{k-1}
    Eigen::VectorXd residuals;
    double mse = 0;
  };

  Solution solve(const std::vector<double>& knots) const {
    const Eigen::Index n = t.size(), k = static_cast<Eigen::Index>(knots.size());
    Eigen::MatrixXd basis(n, k + 2);
    basis.col(0).setOnes();
    basis.col(1) = t;
    for (Eigen::Index i = 0; i < k; ++i) basis.col(i + 2) = (t.array() - knots[static_cast<size_t>(i)]).max(0.0).matrix();
    Solution s;
    s.coefficients = basis.colPivHouseholderQr().solve(y);
    s.residuals = basis * s.coefficients - y;
    s.mse = s.residuals.squaredNorm() / static_cast<double>(n);
    return s;
  }

  PiecewiseLinearFit to_segments(const std::vector<double>& knots, const Solution& s) const {
    PiecewiseLinearFit fit;
    fit.mean_square_error = s.mse;
    double slope = s.coefficients[1], intercept = s.coefficients[0];
    const auto push = [&] {
      // y = intercept + slope t with t = (x - mid) / half.
      fit.slopes.push_back(slope / half);
      fit.intercepts.push_back(intercept - slope * mid / half);
    };
    push();
    for (size_t i = 0; i < knots.size(); ++i) {
      const double w = s.coefficients[static_cast<Eigen::Index>(i) + 2];
      slope += w;
      intercept -= w * knots[i];
      fit.breakpoints.push_back(mid + half * knots[i]);
      push();
    }
    return fit;
  }
};

}  // namespace

std::vector<double> curvature_breakpoints(Function f, double lo, double hi, int count) {
  check_fit_arguments(f, lo, hi, count + 1);
  constexpr int kGrid = 8192;
  const double h = (hi - lo) / kGrid;
  std::vector<double> weight(kGrid + 1, 0.0);
  double total = 0;
  for (int i = 1; i < kGrid; ++i) {
    const double x = lo + i * h;
    const double second = (evaluate(f, x - h) - 2 * evaluate(f, x) + evaluate(f, x + h)) / (h * h);
    weight[static_cast<size_t>(i)] = std::isfinite(second) ? std::pow(std::fabs(second), 0.4) : 0.0;
    total += weight[static_cast<size_t>(i)];
  }
  const double floor_weight = total > 0 ? 0.02 * total / kGrid : 1.0;
  std::vector<double> cumulative(kGrid + 1, 0.0);
  for (int i = 1; i <= kGrid; ++i) {
    cumulative[static_cast<size_t>(i)] = cumulative[static_cast<size_t>(i - 1)] + weight[static_cast<size_t>(i)] + floor_weight;
  }
  std::vector<double> knots;
  for (int k = 1; k <= count; ++k) {
    const double target = cumulative.back() * k / (count + 1);
    const auto it = std::lower_bound(cumulative.begin(), cumulative.end(), target);
    const size_t i = static_cast<size_t>(std::max<std::ptrdiff_t>(1, it - cumulative.begin()));
    const double span = cumulative[i] - cumulative[i - 1];
    const double fraction = span > 0 ? (target - cumulative[i - 1]) / span : 0.0;
    knots.push_back(lo + (static_cast<double>(i - 1) + fraction) * h);
  }
  return knots;
}

PiecewiseLinearFit fit_piecewise_linear_at(Function f, double lo, double hi, const std::vector<double>& breakpoints, int samples) {
  check_fit_arguments(f, lo, hi, static_cast<int>(breakpoints.size()) + 1);
  const NormalisedProblem problem(f, lo, hi, samples);
  std::vector<double> knots;
  for (const double b : breakpoints) knots.push_back((b - problem.mid) / problem.half);
  std::sort(knots.begin(), knots.end());
  return problem.to_segments(knots, problem.solve(knots));
}

PiecewiseLinearFit fit_piecewise_linear(Function f, double lo, double hi, int segments, int samples, int iterations) {
  check_fit_arguments(f, lo, hi, segments);
  const NormalisedProblem problem(f, lo, hi, samples);
  std::vector<double> knots;
  for (const double b : curvature_breakpoints(f, lo, hi, segments - 1)) knots.push_back((b - problem.mid) / problem.half);
  NormalisedProblem::Solution best = problem.solve(knots);
  // Variable projection: with the coefficients at their optimum, d mse / d d_i = -(2/N) w_i sum_{t_j > d_i} r_j.
  double step = 0.05 * 2.0 / segments;
  for (int it = 0; it < iterations && !knots.empty() && step > 1e-12; ++it) {
    std::vector<double> gradient(knots.size());
    double norm = 0;
    for (size_t i = 0; i < knots.size(); ++i) {
      double tail = 0;
      for (Eigen::Index j = 0; j < problem.t.size(); ++j) {
        if (problem.t[j] > knots[i]) tail += best.residuals[j];
      }
      gradient[i] = -2.0 / static_cast<double>(problem.t.size()) * best.coefficients[static_cast<Eigen::Index>(i) + 2] * tail;
      norm += gradient[i] * gradient[i];
    }
    norm = std::sqrt(norm);
    if (!(norm > 0)) break;
    bool improved = false;
    for (double trial = step; trial > 1e-12; trial /= 2) {
      std::vector<double> moved(knots.size());
      for (size_t i = 0; i < knots.size(); ++i) moved[i] = std::clamp(knots[i] - trial * gradient[i] / norm, -1.0 + 1e-9, 1.0 - 1e-9);
      std::sort(moved.begin(), moved.end());
      NormalisedProblem::Solution s = problem.solve(moved);
      if (s.mse < best.mse) {
        knots = moved;
        best = std::move(s);
        step = trial * 1.5;
        improved = true;
        break;
      }
    }
    if (!improved) break;
  }
  return problem.to_segments(knots, best);
}

}  // namespace npusim
