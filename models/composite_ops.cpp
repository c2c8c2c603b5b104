#include "models/composite_ops.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "models/error.hpp"
#include "models/ibert_kernels.hpp"
#include "models/io/did_you_mean.hpp"
#include "models/ivit_kernels.hpp"
#include "models/quantization.hpp"

namespace npusim {

namespace {

constexpr double kNormEpsilon = 1e-5;

struct QuantizedRows {
  int64_t rows = 0, cols = 0;
  std::vector<int64_t> v;  // q - z: x = v * scale
  double scale = 1.0;
};

// SPEC 2.1 over the tensor's own range; SPEC 2.5: softmax inputs INT8, the norms' inputs INT16.
QuantizedRows quantize_rows(CompositeOp op, const Rows& in) {
  const auto [lo, hi] = std::minmax_element(in.values.begin(), in.values.end());
  const double a = *lo, b = *hi > *lo ? *hi : *lo + 1.0;
  const QuantParams p = asymmetric_params(a, b, op == CompositeOp::softmax ? 8 : 16, true);
  QuantizedRows q;
  q.rows = in.rows;
  q.cols = in.cols;
  q.scale = p.scale;
  for (const double x : in.values) q.v.push_back(quantize(x, p) - p.zero_point);
  return q;
}

std::vector<double> dequantized(const QuantizedRows& q) {
  std::vector<double> x;
  for (const int64_t v : q.v) x.push_back(static_cast<double>(v) * q.scale);
  return x;
}

template <class Real>
void reference_row(CompositeOp op, const Real* x, Real* y, int64_t n) {
  if (op == CompositeOp::softmax) {
    const Real m = *std::max_element(x, x + n);
    Real sum = 0;
    for (int64_t i = 0; i < n; ++i) sum += (y[i] = std::exp(x[i] - m));
    for (int64_t i = 0; i < n; ++i) y[i] /= sum;
    return;
  }
  Real mean = 0;
  if (op == CompositeOp::layernorm) {
    for (int64_t i = 0; i < n; ++i) mean += x[i];
    mean /= static_cast<Real>(n);
  }
  Real var = 0;
  for (int64_t i = 0; i < n; ++i) var += (x[i] - mean) * (x[i] - mean);
  var /= static_cast<Real>(n);
  const Real r = Real(1) / std::sqrt(var + Real(kNormEpsilon));
  for (int64_t i = 0; i < n; ++i) y[i] = (x[i] - mean) * r;
}

// A function as the given table method computes it, with tables calibrated to [lo, hi].
std::function<double(double)> table(Method method, Function f, double lo, double hi) {
  const auto a = approximate(method, f, lo, hi);
  return a->evaluate;
}

// Per row: the integer mean (0 for RMSNorm) and the 16-bit variance + eps the rsqrt lookup takes.
void row_statistics(CompositeOp op, const QuantizedRows& q, std::vector<int64_t>& means, std::vector<double>& variances) {
  const int64_t n = q.cols;
  for (int64_t r = 0; r < q.rows; ++r) {
    const int64_t* v = &q.v[static_cast<size_t>(r * n)];
    int64_t sum = 0;
    for (int64_t i = 0; i < n; ++i) sum += v[i];
    const int64_t mean = op == CompositeOp::layernorm ? static_cast<int64_t>(std::floor(static_cast<double>(sum) / n)) : 0;
    int64_t squares = 0;
    for (int64_t i = 0; i < n; ++i) squares += (v[i] - mean) * (v[i] - mean);
    means.push_back(mean);
    variances.push_back(static_cast<double>(squares / n) * q.scale * q.scale + kNormEpsilon);
  }
}

std::vector<double> run_lut_method(Method method, CompositeOp op, const QuantizedRows& q) {
  const int64_t n = q.cols;
  std::vector<double> out(q.v.size());
  if (op == CompositeOp::softmax) {
    // Per-layer calibration: x - max spans [min - max, 0]; the sum of exps spans [1, n].
    const auto [lo, hi] = std::minmax_element(q.v.begin(), q.v.end());
    const double d_min = std::min(-1e-3, static_cast<double>(*lo - *hi) * q.scale);
    const auto exp_f = table(method, Function::exp, d_min, 0.0);
    const auto recip_f = table(method, Function::reciprocal, 1.0, std::max<double>(2.0, static_cast<double>(n)));
    for (int64_t r = 0; r < q.rows; ++r) {
      const int64_t* v = &q.v[static_cast<size_t>(r * n)];
      const int64_t m = *std::max_element(v, v + n);
      double sum = 0.0;
      for (int64_t i = 0; i < n; ++i) sum += (out[static_cast<size_t>(r * n + i)] = exp_f(static_cast<double>(v[i] - m) * q.scale));
      const double reciprocal = recip_f(sum);
      for (int64_t i = 0; i < n; ++i) out[static_cast<size_t>(r * n + i)] *= reciprocal;
    }
    return out;
  }
  // Norms: integer mean, 16-bit variance, one rsqrt lookup per row.
  std::vector<double> variances;
  std::vector<int64_t> means;
  row_statistics(op, q, means, variances);
  const auto [lo, hi] = std::minmax_element(variances.begin(), variances.end());
  const auto rsqrt_f = table(method, Function::rsqrt, *lo, *hi > *lo ? *hi : *lo * 2);
  for (int64_t r = 0; r < q.rows; ++r) {
    const double inverse = rsqrt_f(variances[static_cast<size_t>(r)]);
    for (int64_t i = 0; i < n; ++i) {
      const size_t k = static_cast<size_t>(r * n + i);
      out[k] = static_cast<double>(q.v[k] - means[static_cast<size_t>(r)]) * q.scale * inverse;
    }
  }
  return out;
}

std::vector<double> run_integer_method(Method method, CompositeOp op, const QuantizedRows& q) {
  std::vector<double> out;
  for (int64_t r = 0; r < q.rows; ++r) {
    const std::vector<int64_t> row(q.v.begin() + r * q.cols, q.v.begin() + (r + 1) * q.cols);
    ScaledInts y;
    if (op == CompositeOp::softmax) {
      y = method == Method::ibert ? ibert::softmax(row, q.scale, 16) : ivit::shiftmax(row, q.scale, 16);
    } else {
      const bool mean = op == CompositeOp::layernorm;
      y = method == Method::ibert ? ibert::layernorm(row, mean) : ivit::layernorm(row, mean);
    }
    for (const int64_t v : y.q) out.push_back(static_cast<double>(v) * y.scale);
  }
  return out;
}

}  // namespace

std::vector<LookupStream> bespoke_lookup_streams(CompositeOp op, const Rows& input) {
  const QuantizedRows q = quantize_rows(op, input);
  const int64_t n = q.cols;
  std::vector<LookupStream> streams;
  if (op == CompositeOp::softmax) {
    const auto [lo, hi] = std::minmax_element(q.v.begin(), q.v.end());
    const double d_min = std::min(-1e-3, static_cast<double>(*lo - *hi) * q.scale);
    LookupStream exp_stream{BespokeLut::build(Function::exp, d_min, 0.0), {}};
    LookupStream recip_stream{BespokeLut::build(Function::reciprocal, 1.0, std::max<double>(2.0, static_cast<double>(n))), {}};
    for (int64_t r = 0; r < q.rows; ++r) {
      const int64_t* v = &q.v[static_cast<size_t>(r * n)];
      const int64_t m = *std::max_element(v, v + n);
      int64_t sum = 0;  // the 32-bit sum of the INT16 exp outputs
      for (int64_t i = 0; i < n; ++i) {
        const uint16_t code = exp_stream.lut.code_of(static_cast<double>(v[i] - m) * q.scale);
        exp_stream.codes.push_back(code);
        sum += exp_stream.lut.lookup(code);
      }
      recip_stream.codes.push_back(recip_stream.lut.code_of(static_cast<double>(sum) * exp_stream.lut.out_scale()));
    }
    streams.push_back(std::move(exp_stream));
    streams.push_back(std::move(recip_stream));
    return streams;
  }
  std::vector<double> variances;
  std::vector<int64_t> means;
  row_statistics(op, q, means, variances);
  const auto [lo, hi] = std::minmax_element(variances.begin(), variances.end());
  LookupStream rsqrt_stream{BespokeLut::build(Function::rsqrt, *lo, *hi > *lo ? *hi : *lo * 2), {}};
  for (const double var : variances) rsqrt_stream.codes.push_back(rsqrt_stream.lut.code_of(var));
  streams.push_back(std::move(rsqrt_stream));
  return streams;
}

std::string_view composite_op_name(CompositeOp op) {
  switch (op) {
    case CompositeOp::softmax: return "softmax";
    case CompositeOp::layernorm: return "layernorm";
    case CompositeOp::rmsnorm: return "rmsnorm";
  }
  return "?";
}

CompositeOp parse_composite_op(std::string_view name) {
  for (const CompositeOp op : {CompositeOp::softmax, CompositeOp::layernorm, CompositeOp::rmsnorm}) {
    if (composite_op_name(op) == name) return op;
  }
  throw Error("unknown op '" + std::string(name) + "'" + did_you_mean(name, {"softmax", "layernorm", "rmsnorm"}) +
              "; known: softmax, layernorm, rmsnorm");
}

Rows random_rows(int64_t rows, int64_t cols, const std::string& distribution, uint64_t seed) {
  if (rows <= 0 || cols <= 1 || rows * cols > (int64_t{1} << 26)) {
    throw Error("row shape must be R,C with R >= 1, C >= 2 and R x C <= 67,108,864");
  }
  const size_t colon = distribution.find(':');
  const std::string kind = distribution.substr(0, colon);
  double p1 = 0, p2 = 0;
  char comma = 0;
  std::istringstream params(colon == std::string::npos ? "" : distribution.substr(colon + 1));
  if (colon == std::string::npos || !(params >> p1 >> comma >> p2) || comma != ',' || !params.eof() ||
      !std::isfinite(p1) || !std::isfinite(p2)) {
    throw Error("distribution must be normal:MEAN,STD or uniform:A,B, got '" + distribution + "'");
  }
  std::mt19937_64 rng(seed);
  Rows r{rows, cols, {}};
  r.values.reserve(static_cast<size_t>(rows * cols));
  if (kind == "normal") {
    if (!(p2 > 0)) throw Error("normal:MEAN,STD needs STD > 0");
    std::normal_distribution<double> d(p1, p2);
    for (int64_t i = 0; i < rows * cols; ++i) r.values.push_back(d(rng));
  } else if (kind == "uniform") {
    if (!(p1 < p2)) throw Error("uniform:A,B needs A < B");
    std::uniform_real_distribution<double> d(p1, p2);
    for (int64_t i = 0; i < rows * cols; ++i) r.values.push_back(d(rng));
  } else {
    throw Error("unknown distribution '" + kind + "'" + did_you_mean(kind, {"normal", "uniform"}) + "; known: normal, uniform");
  }
  return r;
}

std::vector<double> composite_reference(CompositeOp op, const Rows& input) {
  const std::vector<double> x = dequantized(quantize_rows(op, input));
  std::vector<double> y(x.size());
  for (int64_t r = 0; r < input.rows; ++r) reference_row(op, &x[static_cast<size_t>(r * input.cols)], &y[static_cast<size_t>(r * input.cols)], input.cols);
  return y;
}

std::vector<double> composite_run(Method method, CompositeOp op, const Rows& input) {
  const QuantizedRows q = quantize_rows(op, input);
  switch (method) {
    case Method::fp32: {
      const std::vector<double> x = dequantized(q);
      std::vector<float> xf(x.begin(), x.end()), yf(x.size());
      for (int64_t r = 0; r < q.rows; ++r) reference_row<float>(op, &xf[static_cast<size_t>(r * q.cols)], &yf[static_cast<size_t>(r * q.cols)], q.cols);
      return std::vector<double>(yf.begin(), yf.end());
    }
    case Method::bespoke:
    case Method::universal:
    case Method::nnlut: return run_lut_method(method, op, q);
    case Method::ibert:
    case Method::ivit: return run_integer_method(method, op, q);
  }
  return {};
}

}  // namespace npusim
