#include "models/nn_lut.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "models/error.hpp"
#include "models/io/json.hpp"
#include "models/quantization.hpp"

namespace npusim {

double NnLutNetwork::evaluate(double x) const {
  double y = c;
  for (size_t i = 0; i < n.size(); ++i) y += m[i] * std::max(0.0, n[i] * x + b[i]);
  return y;
}

InputRangeDefault nnlut_default_range(Function f) {
  switch (f) {
    case Function::exp: return {-16.0, 0.0};         // softmax inputs after subtracting the row maximum
    case Function::reciprocal: return {1.0, 256.0};  // softmax row sums (at least 1: the maximum's exp)
    case Function::rsqrt: return {0.01, 64.0};       // variance + eps of the norms
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

NnLutNetwork train_nnlut(Function f, double lo, double hi, const NnLutTrainOptions& o) {
  if (!(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi)) throw Error("NN-LUT range needs finite min < max");
  if (o.hidden_units < 1 || o.hidden_units > 4096) throw Error("NN-LUT hidden units must be in 1..4096");
  if (o.samples < 16 || o.epochs < 1 || !(o.learning_rate > 0)) throw Error("NN-LUT training options out of range");
  const int h = o.hidden_units;
  // Samples, and targets; normalise x to [-1, 1] during training for a well-conditioned problem.
  std::vector<double> xs(static_cast<size_t>(o.samples)), ys(xs.size());
  const double mid = (lo + hi) / 2, half = (hi - lo) / 2;
  for (size_t s = 0; s < xs.size(); ++s) {
    const double x = lo + (hi - lo) * (static_cast<double>(s) + 0.5) / static_cast<double>(xs.size());
    xs[s] = (x - mid) / half;
    double y = evaluate(f, x);
    if (!std::isfinite(y)) throw Error("NN-LUT: " + std::string(function_name(f)) + " is not finite on the range");
    ys[s] = y;
  }
  double y_scale = 0.0;
  for (const double y : ys) y_scale = std::max(y_scale, std::fabs(y));
  if (y_scale == 0.0) y_scale = 1.0;
  for (auto& y : ys) y /= y_scale;

  // Breakpoints start spread evenly over the range, alternating direction; output weights small.
  std::mt19937_64 rng(o.seed);
  // Output weights start small enough that the sum over many units stays near the targets' scale.
  std::normal_distribution<double> noise(0.0, 0.1 * std::sqrt(15.0 / h));
  std::vector<double> n(static_cast<size_t>(h)), b(n.size()), m(n.size());
  for (int i = 0; i < h; ++i) {
    const double d = -1.0 + 2.0 * (i + 0.5) / h;
    n[static_cast<size_t>(i)] = (i % 2 == 0) ? 1.0 : -1.0;
    b[static_cast<size_t>(i)] = -n[static_cast<size_t>(i)] * d;
    m[static_cast<size_t>(i)] = noise(rng);
  }
  double c = std::accumulate(ys.begin(), ys.end(), 0.0) / static_cast<double>(ys.size());

  // Full-batch Adam on the mean squared error.
  const double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  std::vector<double> params(3 * static_cast<size_t>(h) + 1), grad(params.size()), m1(params.size()), m2(params.size());
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    std::fill(grad.begin(), grad.end(), 0.0);
    for (size_t s = 0; s < xs.size(); ++s) {
      double y = c;
      for (size_t i = 0; i < n.size(); ++i) y += m[i] * std::max(0.0, n[i] * xs[s] + b[i]);
      const double e = 2.0 * (y - ys[s]) / static_cast<double>(xs.size());
      for (size_t i = 0; i < n.size(); ++i) {
        const double pre = n[i] * xs[s] + b[i];
        if (pre <= 0.0) continue;
        grad[3 * i] += e * m[i] * xs[s];
        grad[3 * i + 1] += e * m[i];
        grad[3 * i + 2] += e * pre;
      }
      grad.back() += e;
    }
    const double correction1 = 1.0 - std::pow(beta1, epoch), correction2 = 1.0 - std::pow(beta2, epoch);
    for (size_t p = 0; p < params.size(); ++p) {
      m1[p] = beta1 * m1[p] + (1 - beta1) * grad[p];
      m2[p] = beta2 * m2[p] + (1 - beta2) * grad[p] * grad[p];
      const double step = o.learning_rate * (m1[p] / correction1) / (std::sqrt(m2[p] / correction2) + eps);
      if (p + 1 == params.size()) {
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
  // Back to the original x and y: n' = n / half, b' = b - n mid / half, m' = m y_scale, c' = c y_scale.
  NnLutNetwork net;
  for (size_t i = 0; i < n.size(); ++i) {
    if (n[i] == 0.0) n[i] = 1e-12;  // a dead unit still has a well-defined breakpoint
    net.n.push_back(n[i] / half);
    net.b.push_back(b[i] - n[i] * mid / half);
    net.m.push_back(m[i] * y_scale);
  }
  net.c = c * y_scale;
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
  return std::ldexp(static_cast<double>(evaluate_q(quantize_input(x))), -out_frac_bits);
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
  r.reject_unknown({"format", "version", "function", "range", "breakpoints", "slopes", "intercepts"});
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
  table.quantize();
  return table;
}

NnLutTable build_nnlut(Function f, const NnLutTrainOptions& options) {
  const InputRangeDefault r = nnlut_default_range(f);
  return NnLutTable::from_network(f, r.min, r.max, train_nnlut(f, r.min, r.max, options));
}

}  // namespace npusim
