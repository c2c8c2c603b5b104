#include "models/composite_ops.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "models/error.hpp"
#include "models/ibert_kernels.hpp"
#include "models/io/did_you_mean.hpp"
#include "models/ivit_kernels.hpp"
#include "models/ivit_plus_kernels.hpp"
#include "models/method_tables.hpp"
#include "models/quantization.hpp"
#include "models/range_reduced_lut.hpp"

namespace npusim {

namespace {

struct QuantizedRows {
  int64_t rows = 0, cols = 0;
  std::vector<int64_t> v;  // x = v * scale
  double scale = 1.0;
  std::string description;

  const int64_t* row(int64_t r) const { return &v[static_cast<size_t>(r * cols)]; }
};

void check_rows(const Rows& in) {
  check_row_shape(static_cast<double>(in.rows), static_cast<double>(in.cols));
  if (static_cast<int64_t>(in.values.size()) != in.rows * in.cols) throw Error("rows hold " + std::to_string(in.values.size()) + " values, not rows x cols");
}

// SPEC 2.1 over the tensor's own range; SPEC 2.5: softmax inputs INT8, the norms' inputs INT16.
QuantizedRows quantize_common(CompositeOp op, const Rows& in) {
  const auto [lo, hi] = std::minmax_element(in.values.begin(), in.values.end());
  const double a = *lo, b = *hi > *lo ? *hi : *lo + 1.0;
  const int bits = op == CompositeOp::softmax ? 8 : 16;
  const QuantParams p = asymmetric_params(a, b, bits, true);
  QuantizedRows q{in.rows, in.cols, std::vector<int64_t>(in.values.size()), p.scale, "INT" + std::to_string(bits)};
  for (size_t i = 0; i < in.values.size(); ++i) q.v[i] = quantize(in.values[i], p) - p.zero_point;
  return q;
}

double max_magnitude(const Rows& in) {
  double m = 0;
  for (const double x : in.values) m = std::max(m, std::fabs(x));
  return m;
}

// Symmetric with ties to even, as the I-BERT / I-ViT code bases quantize.
QuantizedRows quantize_symmetric_rows(const Rows& in, int bits, double scale, const std::string& description) {
  QuantizedRows q{in.rows, in.cols, std::vector<int64_t>(in.values.size()), scale, description};
  for (size_t i = 0; i < in.values.size(); ++i) q.v[i] = quantize_symmetric(in.values[i], scale, bits);
  return q;
}

QuantizedRows method_input(Method method, CompositeOp op, const Rows& in) {
  const double max_abs = max_magnitude(in);
  if (method == Method::ibert) {
    if (op == CompositeOp::softmax) {
      // The INT32 accumulator of the QK^T matmul: integers at scale max|x| / 2^15 (ibert_kernels.hpp).
      const double scale = max_abs > 0 ? max_abs / ibert::kAccumulatorCodes : 1.0;
      return quantize_symmetric_rows(in, 32, scale, "INT32 accumulator");
    }
    // QuantAct(22) before LayerNorm: scale max(max|x|, 1e-8) / (2^21 - 1).
    return quantize_symmetric_rows(in, ibert::kLayerNormInputBits, symmetric_scale(std::max(max_abs, 1e-8), ibert::kLayerNormInputBits, 0.0),
                                   "INT22 symmetric");
  }
  if (method == Method::ivit) {
    const int bits = op == CompositeOp::softmax ? ivit::kSoftmaxInputBits : ivit::kLayerNormInputBits;
    return quantize_symmetric_rows(in, bits, symmetric_scale(max_abs, bits, ivit::kMinScale), "INT" + std::to_string(bits) + " symmetric");
  }
  return quantize_common(op, in);
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

template <class Real>
std::vector<Real> run_reference(CompositeOp op, const QuantizedRows& q) {
  std::vector<Real> x(q.v.size()), y(q.v.size());
  for (size_t i = 0; i < q.v.size(); ++i) x[i] = static_cast<Real>(static_cast<double>(q.v[i]) * q.scale);
  for (int64_t r = 0; r < q.rows; ++r) {
    reference_row<Real>(op, &x[static_cast<size_t>(r * q.cols)], &y[static_cast<size_t>(r * q.cols)], q.cols);
  }
  return y;
}

bool reduces(Method method, const CompositeOptions& o, Function f) {
  return method == Method::bespoke_rr && std::find(o.range_reduced.begin(), o.range_reduced.end(), f) != o.range_reduced.end();
}

// A table method's lookup of f as the MAU sees it: a Bespoke-style table (per layer or universal) or an
// NN-LUT table (trained or the least-squares reference).
struct TableLookup {
  std::optional<BespokeLut> lut;
  const NnLutTable* nnlut = nullptr;

  double operator()(double x) const { return lut ? lut->output_value(lut->lookup(lut->code_of(x))) : nnlut->evaluate(x); }
  int64_t bytes() const { return lut ? static_cast<int64_t>(lut->table_bytes()) : nnlut ? nnlut->table_bytes() : 0; }
};

TableLookup table_lookup(Method method, Function f, double lo, double hi, const CompositeOptions& o) {
  TableLookup t;
  switch (method) {
    case Method::universal: {
      const InputRange r = universal_range(f, lo, hi);
      t.lut = BespokeLut::build(f, r.min, r.max);
      break;
    }
    case Method::nnlut: t.nnlut = &cached_nnlut(f, o.nnlut_hidden_units); break;
    case Method::nnlut_lsq: t.nnlut = &cached_nnlut_least_squares(f, o.nnlut_hidden_units + 1); break;
    default: t.lut = BespokeLut::build(f, lo, hi); break;  // bespoke, and bespoke-rr where it does not reduce
  }
  return t;
}

std::vector<double> lut_softmax(Method method, const QuantizedRows& q, const CompositeOptions& o, int64_t& table_bytes) {
  const int64_t n = q.cols;
  const auto [lo, hi] = std::minmax_element(q.v.begin(), q.v.end());
  const int64_t span = *hi - *lo;  // x - max = -k s with k in [0, span]
  // Per-layer calibration: x - max spans [min - max, 0]; the sum of exps spans [1, n].
  const TableLookup exp_table = table_lookup(method, Function::exp, std::min(-1e-3, static_cast<double>(-span) * q.scale), 0.0, o);
  const bool reduced = reduces(method, o, Function::reciprocal);
  const TableLookup recip_table =
      reduced ? TableLookup{} : table_lookup(method, Function::reciprocal, 1.0, std::max<double>(2.0, static_cast<double>(n)), o);
  table_bytes = exp_table.bytes() + (reduced ? static_cast<int64_t>(cached_range_reduced_lut(Function::reciprocal).table_bytes()) : recip_table.bytes());
  std::vector<double> out(q.v.size());
  if (exp_table.lut) {
    // The exponentials as the unit computes them: INT16 outputs, summed in 32 bits. One batched lookup for
    // the whole tensor; the span of integer inputs is small (INT8: at most 256 distinct x - max).
    const BespokeLut& lut = *exp_table.lut;
    std::vector<uint16_t> code_of_k(static_cast<size_t>(span) + 1);
    for (int64_t k = 0; k <= span; ++k) code_of_k[static_cast<size_t>(k)] = lut.code_of(static_cast<double>(-k) * q.scale);
    std::vector<uint16_t> codes(q.v.size());
    for (int64_t r = 0; r < q.rows; ++r) {
      const int64_t* v = q.row(r);
      const int64_t m = *std::max_element(v, v + n);
      uint16_t* c = &codes[static_cast<size_t>(r * n)];
      for (int64_t i = 0; i < n; ++i) c[i] = code_of_k[static_cast<size_t>(m - v[i])];
    }
    std::vector<int16_t> e(q.v.size());
    lut.lookup_batch(codes.data(), e.data(), codes.size());
    const RangeReducedLut* rr = reduced ? &cached_range_reduced_lut(Function::reciprocal) : nullptr;
    for (int64_t r = 0; r < q.rows; ++r) {
      const int16_t* er = &e[static_cast<size_t>(r * n)];
      int64_t sum = 0;  // at most 131,072 x 32,767 < 2^32 (row_distributions.hpp)
      for (int64_t i = 0; i < n; ++i) sum += er[i];
      // out = e s_exp / (sum s_exp): with the range-reduced reciprocal of the integer sum, s_exp cancels.
      const double factor = rr ? rr->value(static_cast<uint32_t>(sum)) : lut.out_scale() * recip_table(static_cast<double>(sum) * lut.out_scale());
      double* y = &out[static_cast<size_t>(r * n)];
      for (int64_t i = 0; i < n; ++i) y[i] = static_cast<double>(er[i]) * factor;
    }
    return out;
  }
  // NN-LUT: one evaluation per distinct x - max, then per element.
  std::vector<double> exp_of_k(static_cast<size_t>(span) + 1);
  for (int64_t k = 0; k <= span; ++k) exp_of_k[static_cast<size_t>(k)] = exp_table(static_cast<double>(-k) * q.scale);
  for (int64_t r = 0; r < q.rows; ++r) {
    const int64_t* v = q.row(r);
    const int64_t m = *std::max_element(v, v + n);
    double* y = &out[static_cast<size_t>(r * n)];
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i) sum += (y[i] = exp_of_k[static_cast<size_t>(m - v[i])]);
    const double reciprocal = recip_table(sum);
    for (int64_t i = 0; i < n; ++i) y[i] *= reciprocal;
  }
  return out;
}

// Per row: the integer mean (floor; 0 for RMSNorm) and the 16-bit variance floor(sum d^2 / n).
struct RowStatistics {
  std::vector<int64_t> means, variances;
};
RowStatistics row_statistics(CompositeOp op, const QuantizedRows& q) {
  RowStatistics s;
  const int64_t n = q.cols;
  for (int64_t r = 0; r < q.rows; ++r) {
    const int64_t* v = q.row(r);
    int64_t sum = 0;
    for (int64_t i = 0; i < n; ++i) sum += v[i];
    const int64_t mean = op == CompositeOp::layernorm ? floor_div(sum, n) : 0;
    int64_t squares = 0;  // INT16: d^2 < 2^32, at most 2^17 of them
    for (int64_t i = 0; i < n; ++i) squares += (v[i] - mean) * (v[i] - mean);
    s.means.push_back(mean);
    s.variances.push_back(squares / n);
  }
  return s;
}

std::vector<double> lut_norm(Method method, CompositeOp op, const QuantizedRows& q, const CompositeOptions& o, int64_t& table_bytes) {
  const int64_t n = q.cols;
  const RowStatistics stats = row_statistics(op, q);
  // var + eps of each row, as the rsqrt lookup receives it.
  std::vector<double> inverse(static_cast<size_t>(q.rows));
  if (reduces(method, o, Function::rsqrt)) {
    // The integer variance plus eps on the same scale s^2, shifted right by an even k (calibrated on the
    // tensor) until it fits the unit's 32-bit input: x = X s^2 2^k.
    const double eps_code = std::min(std::ldexp(1.0, 62), std::round(kNormEpsilon / (q.scale * q.scale)));
    std::vector<int64_t> codes;
    int64_t largest = 0;
    for (const int64_t var : stats.variances) largest = std::max(largest, codes.emplace_back(var + static_cast<int64_t>(eps_code)));
    int shift = 0;
    while ((largest >> shift) > 0xFFFFFFFFLL) shift += 2;
    const RangeReducedLut& rr = cached_range_reduced_lut(Function::rsqrt);
    table_bytes = static_cast<int64_t>(rr.table_bytes());
    const double input_root = q.scale * std::ldexp(1.0, shift / 2);  // sqrt(s^2 2^k)
    for (size_t r = 0; r < codes.size(); ++r) inverse[r] = rr.value(static_cast<uint32_t>(codes[r] >> shift)) / input_root;
  } else {
    std::vector<double> variances;
    for (const int64_t var : stats.variances) variances.push_back(static_cast<double>(var) * q.scale * q.scale + kNormEpsilon);
    const auto [lo, hi] = std::minmax_element(variances.begin(), variances.end());
    const TableLookup rsqrt = table_lookup(method, Function::rsqrt, *lo, *hi > *lo ? *hi : *lo * 2, o);
    table_bytes = rsqrt.bytes();
    for (size_t r = 0; r < variances.size(); ++r) inverse[r] = rsqrt(variances[r]);
  }
  std::vector<double> out(q.v.size());
  for (int64_t r = 0; r < q.rows; ++r) {
    const int64_t* v = q.row(r);
    const int64_t mean = stats.means[static_cast<size_t>(r)];
    const double inv = inverse[static_cast<size_t>(r)];
    double* y = &out[static_cast<size_t>(r * n)];
    for (int64_t i = 0; i < n; ++i) y[i] = static_cast<double>(v[i] - mean) * q.scale * inv;
  }
  return out;
}

std::vector<double> scaled(const ScaledInts& s) {
  std::vector<double> out(s.q.size());
  for (size_t i = 0; i < s.q.size(); ++i) out[i] = static_cast<double>(s.q[i]) * s.scale;
  return out;
}

std::vector<double> integer_run(Method method, CompositeOp op, const QuantizedRows& q) {
  const bool mean = op == CompositeOp::layernorm;
  switch (method) {
    case Method::ibert:
    case Method::ibert8:
      return scaled(op == CompositeOp::softmax ? ibert::softmax(q.v, q.rows, q.cols, q.scale) : ibert::layernorm(q.v, q.rows, q.cols, mean));
    case Method::ivit:
      return scaled(op == CompositeOp::softmax ? ivit::shiftmax(q.v, q.rows, q.cols, q.scale) : ivit::layernorm(q.v, q.rows, q.cols, mean));
    default: {  // ivit+, row by row
      std::vector<double> out;
      out.reserve(q.v.size());
      for (int64_t r = 0; r < q.rows; ++r) {
        const std::vector<int64_t> row(q.row(r), q.row(r) + q.cols);
        const ScaledInts y = op == CompositeOp::softmax ? ivit_plus::shiftmax(row, q.scale, 16) : ivit_plus::layernorm(row, mean);
        for (const int64_t v : y.q) out.push_back(static_cast<double>(v) * y.scale);
      }
      return out;
    }
  }
}

}  // namespace

std::vector<LookupStream> bespoke_lookup_streams(CompositeOp op, const Rows& input) {
  check_rows(input);
  const QuantizedRows q = quantize_common(op, input);
  const int64_t n = q.cols;
  std::vector<LookupStream> streams;
  if (op == CompositeOp::softmax) {
    const auto [lo, hi] = std::minmax_element(q.v.begin(), q.v.end());
    const double d_min = std::min(-1e-3, static_cast<double>(*lo - *hi) * q.scale);
    LookupStream exp_stream{BespokeLut::build(Function::exp, d_min, 0.0), {}};
    LookupStream recip_stream{BespokeLut::build(Function::reciprocal, 1.0, std::max<double>(2.0, static_cast<double>(n))), {}};
    for (int64_t r = 0; r < q.rows; ++r) {
      const int64_t* v = q.row(r);
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
  const RowStatistics stats = row_statistics(op, q);
  std::vector<double> variances;
  for (const int64_t var : stats.variances) variances.push_back(static_cast<double>(var) * q.scale * q.scale + kNormEpsilon);
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

CompositeResult composite_run(Method method, CompositeOp op, const Rows& input, const CompositeOptions& options) {
  check_rows(input);
  const QuantizedRows q = method_input(method, op, input);
  CompositeResult result;
  result.input = q.description;
  result.reference = run_reference<double>(op, q);
  switch (method) {
    case Method::fp32: {
      const std::vector<float> y = run_reference<float>(op, q);
      result.output.assign(y.begin(), y.end());
      break;
    }
    case Method::bespoke:
    case Method::bespoke_rr:
    case Method::universal:
    case Method::nnlut:
    case Method::nnlut_lsq:
      result.output = op == CompositeOp::softmax ? lut_softmax(method, q, options, result.table_bytes)
                                                 : lut_norm(method, op, q, options, result.table_bytes);
      break;
    case Method::ibert:
    case Method::ibert8:
    case Method::ivit:
    case Method::ivit_plus: result.output = integer_run(method, op, q); break;
  }
  return result;
}

}  // namespace npusim
