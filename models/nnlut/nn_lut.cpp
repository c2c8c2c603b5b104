#include "models/nnlut/nn_lut.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "common/error.hpp"
#include "common/json.hpp"
#include "models/nnlut/piecewise_linear_fit.hpp"
#include "models/core/quantization.hpp"

namespace npusim {

double NnLutNetwork::evaluate(double x) const {
  double y = c;
  for (size_t i = 0; i < n.size(); ++i) y += m[i] * std::max(0.0, n[i] * x + b[i]);
  return y;
}

InputRangeDefault nnlut_default_range(Function f) {
  switch (f) {
    case Function::exp: return {-16.0, 0.0};       // softmax inputs after subtracting the row maximum
    case Function::reciprocal: return {1.0, 2.0};  // one octave: inputs are scaled into it by 2^k
    case Function::rsqrt: return {1.0, 4.0};       // two octaves: inputs are scaled into it by 4^k
    case Function::sqrt: return {0.0, 64.0};
    case Function::gelu:
    case Function::gelu_tanh:
    case Function::silu: return {-8.0, 8.0};
    case Function::sigmoid:
    case Function::tanh: return {-8.0, 8.0};
    case Function::relu: return {-8.0, 8.0};
  }
  return {-8.0, 8.0};
}

NnLutInputScaling nnlut_input_scaling(Function f) {
  if (f == Function::reciprocal) return NnLutInputScaling::power_of_two;
  if (f == Function::rsqrt) return NnLutInputScaling::power_of_four;
  return NnLutInputScaling::clamp;
}

namespace {

double forward(const std::vector<double>& n, const std::vector<double>& b, const std::vector<double>& m, double c, double x) {
  double y = c;
  for (size_t i = 0; i < n.size(); ++i) y += m[i] * std::max(0.0, n[i] * x + b[i]);
  return y;
}

}  // namespace

NnLutNetwork train_nnlut(Function f, double lo, double hi, const NnLutTrainOptions& o) {
  if (!(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi)) throw Error("NN-LUT range needs finite min < max");
  if (o.hidden_units < 1 || o.hidden_units > 4096) throw Error("NN-LUT hidden units must be in 1..4096");
  if (o.samples < 16 || o.epochs < 0 || !(o.learning_rate > 0)) throw Error("NN-LUT training options out of range");
  const int h = o.hidden_units;
  // Samples and targets in normalised coordinates (x and y in [-1, 1]) for a well-conditioned problem.
  std::vector<double> xs(static_cast<size_t>(o.samples)), ys(xs.size());
  const double mid = (lo + hi) / 2, half = (hi - lo) / 2;
  double y_scale = 0.0;
  for (size_t s = 0; s < xs.size(); ++s) {
    const double x = lo + (hi - lo) * (static_cast<double>(s) + 0.5) / static_cast<double>(xs.size());
    xs[s] = (x - mid) / half;
    ys[s] = evaluate(f, x);
    if (!std::isfinite(ys[s])) throw Error("NN-LUT: " + std::string(function_name(f)) + " is not finite on the range");
    y_scale = std::max(y_scale, std::fabs(ys[s]));
  }
  if (y_scale == 0.0) y_scale = 1.0;
  for (auto& y : ys) y /= y_scale;

  // Start: every unit opens to the right (n = 1), the first at the range start, the others at the
  // curvature-spread breakpoints; the output layer is the least-squares solution for these units.
  std::vector<double> n(static_cast<size_t>(h), 1.0), b(n.size()), m(n.size());
  b[0] = 1.0;  // ReLU(x + 1): active over the whole range
  const std::vector<double> inner = h > 1 ? curvature_breakpoints(f, lo, hi, h - 1) : std::vector<double>{};
  for (size_t i = 1; i < n.size(); ++i) b[i] = -(inner[i - 1] - mid) / half;
  std::vector<double> knots;
  for (size_t i = 0; i < n.size(); ++i) knots.push_back(-b[i]);
  double c = 0.0;
  {
    // Least squares for m and c given the units: the fixed-breakpoint fit's segments give them exactly
    // (unit 0 opens at the range start, so the fit's own slope left of it is never used).
    std::vector<double> x_knots;
    for (size_t i = 1; i < knots.size(); ++i) x_knots.push_back(mid + half * knots[i]);
    const PiecewiseLinearFit fit = fit_piecewise_linear_at(f, lo, hi, x_knots, o.samples);
    // In normalised units: segment k's slope (per unit t) and value at t = -1.
    const double y0 = (fit.slopes[0] * lo + fit.intercepts[0]) / y_scale;
    c = y0;
    m[0] = fit.slopes[0] * half / y_scale;
    for (size_t i = 1; i < n.size(); ++i) m[i] = (fit.slopes[i] - fit.slopes[i - 1]) * half / y_scale;
  }

  // Full-batch Adam on the mean squared error, cosine-decayed learning rate, best parameters kept.
  const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  const size_t count = 3 * static_cast<size_t>(h) + 1;
  std::vector<double> grad(count), m1(count), m2(count);
  const auto mse = [&] {
    double sum = 0;
    for (size_t s = 0; s < xs.size(); ++s) {
      const double e = forward(n, b, m, c, xs[s]) - ys[s];
      sum += e * e;
    }
    return sum / static_cast<double>(xs.size());
  };
  double best_mse = mse();
  std::vector<double> best_n = n, best_b = b, best_m = m;
  double best_c = c;
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    std::fill(grad.begin(), grad.end(), 0.0);
    double loss = 0.0;
    for (size_t s = 0; s < xs.size(); ++s) {
      const double err = forward(n, b, m, c, xs[s]) - ys[s];
      loss += err * err;
      const double e = 2.0 * err / static_cast<double>(xs.size());
      for (size_t i = 0; i < n.size(); ++i) {
        const double pre = n[i] * xs[s] + b[i];
        if (pre <= 0.0) continue;
        grad[3 * i] += e * m[i] * xs[s];
        grad[3 * i + 1] += e * m[i];
        grad[3 * i + 2] += e * pre;
      }
      grad.back() += e;
    }
    loss /= static_cast<double>(xs.size());  // of the parameters before this step
    if (loss < best_mse) {
      best_mse = loss;
      best_n = n, best_b = b, best_m = m, best_c = c;
    }
    const double rate = o.learning_rate * (0.001 + 0.999 * 0.5 * (1.0 + std::cos(3.14159265358979323846 * (epoch - 1) / o.epochs)));
    const double correction1 = 1.0 - std::pow(beta1, epoch), correction2 = 1.0 - std::pow(beta2, epoch);
    for (size_t p = 0; p < count; ++p) {
      m1[p] = beta1 * m1[p] + (1 - beta1) * grad[p];
      m2[p] = beta2 * m2[p] + (1 - beta2) * grad[p] * grad[p];
      const double step = rate * (m1[p] / correction1) / (std::sqrt(m2[p] / correction2) + eps);
      if (p + 1 == count) {
        c -= step;
      } else if (p % 3 == 0) {
        n[p / 3] -= step;
      } else if (p % 3 == 1) {
        b[p / 3] -= step;
      } else {
        m[p / 3] -= step;
      }
    }
  }
  if (mse() < best_mse) best_n = n, best_b = b, best_m = m, best_c = c;
  // Back to the original x and y: n' = n / half, b' = b - n mid / half, m' = m y_scale, c' = c y_scale.
  NnLutNetwork net;
  for (size_t i = 0; i < best_n.size(); ++i) {
    const double ni = best_n[i] == 0.0 ? 1e-12 : best_n[i];  // a dead unit still has a well-defined breakpoint
    net.n.push_back(ni / half);
    net.b.push_back(best_b[i] - ni * mid / half);
    net.m.push_back(best_m[i] * y_scale);
  }
  net.c = best_c * y_scale;
  return net;
}

namespace {

int frac_bits_for(double largest, int cap) {
  // Keep |value| * 2^bits below 2^30 so sums and roundings stay inside INT32.
  int bits = cap;
  while (bits > 0 && largest * std::ldexp(1.0, bits) >= std::ldexp(1.0, 30)) --bits;
  return bits;
}

int32_t to_q(double v, int bits) {
  return static_cast<int32_t>(clamp_int(round_half_away(v * std::ldexp(1.0, bits)), std::numeric_limits<int32_t>::min(),
                                        std::numeric_limits<int32_t>::max()));
}

}  // namespace

NnLutTable NnLutTable::from_network(Function f, double lo, double hi, const NnLutNetwork& net) {
  NnLutTable t;
  t.function = f;
  t.range_min = lo;
  t.range_max = hi;
  std::vector<size_t> order(net.n.size());
  std::iota(order.begin(), order.end(), 0);
  std::vector<double> d(net.n.size());
  for (size_t i = 0; i < d.size(); ++i) d[i] = -net.b[i] / net.n[i];
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return d[a] < d[b]; });
  for (const size_t i : order) t.breakpoints.push_back(d[i]);
  // Segment k lies between breakpoints k-1 and k; a neuron is active there when n_i x + b_i > 0 at an
  // interior point, i.e. after its breakpoint for n_i > 0 and before it for n_i < 0.
  const size_t segments = t.breakpoints.size() + 1;
  for (size_t k = 0; k < segments; ++k) {
    double slope = 0.0, intercept = net.c;
    for (size_t i = 0; i < net.n.size(); ++i) {
      const size_t rank = static_cast<size_t>(std::find(order.begin(), order.end(), i) - order.begin());
      const bool after = k > rank;  // the segment lies right of this neuron's breakpoint
      const bool active = net.n[i] > 0 ? after : !after;
      if (active) {
        slope += net.m[i] * net.n[i];
        intercept += net.m[i] * net.b[i];
      }
    }
    t.slopes.push_back(slope);
    t.intercepts.push_back(intercept);
  }
  t.quantize();
  return t;
}

void NnLutTable::quantize() {
  double x_max = std::max(std::fabs(range_min), std::fabs(range_max)), s_max = 0.0, t_max = 0.0;
  for (const double bp : breakpoints) x_max = std::max(x_max, std::min(std::fabs(bp), 1e6));
  for (const double s : slopes) s_max = std::max(s_max, std::fabs(s));
  for (const double v : intercepts) t_max = std::max(t_max, std::fabs(v));
  x_frac_bits = frac_bits_for(x_max, 20);
  slope_frac_bits = frac_bits_for(s_max, 20);
  double y_max = t_max;
  for (const double s : slopes) y_max = std::max(y_max, std::fabs(s) * x_max + t_max);
  out_frac_bits = std::min(frac_bits_for(y_max, 20), x_frac_bits + slope_frac_bits);
  breakpoints_q.clear();
  slopes_q.clear();
  intercepts_q.clear();
  for (const double bp : breakpoints) breakpoints_q.push_back(to_q(bp, x_frac_bits));
  for (const double s : slopes) slopes_q.push_back(to_q(s, slope_frac_bits));
  for (const double v : intercepts) intercepts_q.push_back(to_q(v, out_frac_bits));
}

int32_t NnLutTable::quantize_input(double x) const {
  if (std::isnan(x)) throw Error("NN-LUT input is NaN");
  return to_q(x, x_frac_bits);
}

int NnLutTable::segment_of(int32_t x_q) const {
  return static_cast<int>(std::upper_bound(breakpoints_q.begin(), breakpoints_q.end(), x_q) - breakpoints_q.begin());
}

int32_t NnLutTable::evaluate_q(int32_t x_q) const {
  const int k = segment_of(x_q);
  const int shift = x_frac_bits + slope_frac_bits - out_frac_bits;  // >= 0 by construction of the formats
  const int64_t product = static_cast<int64_t>(slopes_q[static_cast<size_t>(k)]) * x_q;
  const int64_t scaled = shift > 0 ? (product + (int64_t{1} << (shift - 1))) >> shift : product << (-shift);
  const int64_t y = scaled + intercepts_q[static_cast<size_t>(k)];
  return static_cast<int32_t>(clamp_int(y, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
}

double NnLutTable::evaluate(double x) const {
  if (std::isnan(x)) throw Error("NN-LUT input is NaN");
  if (input_scaling == NnLutInputScaling::clamp) {
    return std::ldexp(static_cast<double>(evaluate_q(quantize_input(std::clamp(x, range_min, range_max)))), -out_frac_bits);
  }
  // Reciprocal is odd: a negative input is scaled by its magnitude and the result negated. Magnitudes
  // below FP32's smallest normal, zero included (and any rsqrt input below it, negative ones too),
  // read as that value: the pole saturates at 2^126 (rsqrt: 2^63), not at 2^1022.
  const double sign = input_scaling == NnLutInputScaling::power_of_two && x < 0 ? -1.0 : 1.0;
  const double magnitude = std::max(sign * x, static_cast<double>(std::numeric_limits<float>::min()));
  // magnitude = mantissa 2^p with the mantissa in [1, 2) (reciprocal) or, with p even, [1, 4) (rsqrt).
  int exponent = 0;
  const double fraction = std::frexp(magnitude, &exponent);  // [0.5, 1)
  int p = exponent - 1;
  double mantissa = 2 * fraction;
  if (input_scaling == NnLutInputScaling::power_of_four && (p & 1) != 0) {
    mantissa *= 2;
    p -= 1;
  }
  const double y = std::ldexp(static_cast<double>(evaluate_q(quantize_input(std::clamp(mantissa, range_min, range_max)))), -out_frac_bits);
  return sign * std::ldexp(y, input_scaling == NnLutInputScaling::power_of_four ? -p / 2 : -p);
}

double NnLutTable::evaluate_exact(double x) const {
  const size_t k = static_cast<size_t>(std::upper_bound(breakpoints.begin(), breakpoints.end(), x) - breakpoints.begin());
  return slopes[k] * x + intercepts[k];
}

std::string NnLutTable::to_json() const {
  json::Value root = json::Value::object();
  root.set("format", "npusim-nnlut");
  root.set("version", 1);
  root.set("function", std::string(function_name(function)));
  json::Value range = json::Value::array();
  range.push_back(range_min);
  range.push_back(range_max);
  root.set("range", range);
  root.set("input_scaling", input_scaling == NnLutInputScaling::clamp          ? "clamp"
                            : input_scaling == NnLutInputScaling::power_of_two ? "power_of_two"
                                                                               : "power_of_four");
  const auto list = [](const std::vector<double>& v) {
    json::Value a = json::Value::array();
    for (const double x : v) a.push_back(x);
    return a;
  };
  root.set("breakpoints", list(breakpoints));
  root.set("slopes", list(slopes));
  root.set("intercepts", list(intercepts));
  return json::write(root);
}

NnLutTable NnLutTable::from_json(const std::string& text, const std::string& source_name) {
  const json::Value root = json::parse(text, source_name);
  const json::Reader r(root, source_name);
  r.reject_unknown({"format", "version", "function", "range", "input_scaling", "breakpoints", "slopes", "intercepts"});
  if (r.string("format") != "npusim-nnlut") r.fail(r.require("format"), "not an NN-LUT table");
  if (r.integer("version", 0, 1000) != 1) r.fail(r.require("version"), "NN-LUT table version is not supported");
  const auto numbers = [&](const std::string& key) {
    std::vector<double> v;
    for (const auto& item : r.array(key)) v.push_back(r.number_of(item, "a " + key + " entry"));
    return v;
  };
  const auto& range = r.array("range");
  if (range.size() != 2) r.fail(r.require("range"), "'range' must be [min, max]");
  const std::vector<double> bp = numbers("breakpoints"), s = numbers("slopes"), t = numbers("intercepts");
  if (s.size() != bp.size() + 1 || t.size() != s.size()) {
    r.fail(root, "an NN-LUT table has one slope and one intercept more than breakpoints");
  }
  if (!std::is_sorted(bp.begin(), bp.end())) r.fail(r.require("breakpoints"), "breakpoints must be sorted");
  NnLutTable table;
  table.function = parse_function(r.string("function"));
  table.range_min = r.number_of(range[0], "range min");
  table.range_max = r.number_of(range[1], "range max");
  table.breakpoints = bp;
  table.slopes = s;
  table.intercepts = t;
  if (r.has("input_scaling")) {
    const std::string scaling = r.string("input_scaling");
    if (scaling == "clamp") {
      table.input_scaling = NnLutInputScaling::clamp;
    } else if (scaling == "power_of_two") {
      table.input_scaling = NnLutInputScaling::power_of_two;
    } else if (scaling == "power_of_four") {
      table.input_scaling = NnLutInputScaling::power_of_four;
    } else {
      r.fail(r.require("input_scaling"), "'input_scaling' must be clamp, power_of_two or power_of_four");
    }
  }
  table.quantize();
  return table;
}

NnLutTable build_nnlut(Function f, const NnLutTrainOptions& options) {
  const InputRangeDefault r = nnlut_default_range(f);
  NnLutTable table = NnLutTable::from_network(f, r.min, r.max, train_nnlut(f, r.min, r.max, options));
  table.input_scaling = nnlut_input_scaling(f);
  return table;
}

NnLutTable build_nnlut_least_squares(Function f, int segments) {
  const InputRangeDefault r = nnlut_default_range(f);
  const PiecewiseLinearFit fit = fit_piecewise_linear(f, r.min, r.max, segments);
  NnLutTable table;
  table.function = f;
  table.range_min = r.min;
  table.range_max = r.max;
  table.breakpoints = fit.breakpoints;
  table.slopes = fit.slopes;
  table.intercepts = fit.intercepts;
  table.input_scaling = nnlut_input_scaling(f);
  table.quantize();
  return table;
}

}  // namespace npusim
