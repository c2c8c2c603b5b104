#include "models/composite/composite_ops.hpp"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <optional>
#include <sstream>

#include "common/error.hpp"
#include "common/huge_pages.hpp"
#include "models/integer/ibert_kernels.hpp"
#include "common/did_you_mean.hpp"
#include "models/integer/ivit_kernels.hpp"
#include "models/integer/ivit_plus_kernels.hpp"
#include "models/methods/method_tables.hpp"
#include "models/core/quantization.hpp"
#include "models/lut/range_reduced_lut.hpp"
#include "models/composite/row_kernels.hpp"

namespace npusim {

namespace {

struct QuantizedRows {
  int64_t rows = 0, cols = 0;
  std::vector<int32_t> v;  // x = v * scale (every method's input fits 32 bits)
  double scale = 1.0;
  std::string description;

  const int32_t* row(int64_t r) const { return &v[static_cast<size_t>(r * cols)]; }
  std::vector<int64_t> wide() const { return std::vector<int64_t>(v.begin(), v.end()); }
};

void check_rows(const Rows& in) {
  check_row_shape(static_cast<double>(in.rows), static_cast<double>(in.cols));
  if (static_cast<int64_t>(in.values.size()) != in.rows * in.cols) throw Error("rows hold " + std::to_string(in.values.size()) + " values, not rows x cols");
}

// SPEC 2.1 over the tensor's own range; SPEC 2.5: softmax inputs INT8, the norms' inputs INT16.
QuantizedRows quantize_common(CompositeOp op, const Rows& in) {
  const DoubleRange range = value_range(in.values.data(), in.values.size());
  const double a = range.min, b = range.max > range.min ? range.max : range.min + 1.0;
  const int bits = op == CompositeOp::softmax ? 8 : 16;
  // The integers x / s must fit 32 bits (and SPEC 2.1's zero point 64): a tensor whose offset is more than
  // 2^30 quantization steps from 0 is refused, not wrapped.
  const double magnitude = std::max(std::fabs(a), std::fabs(b));
  if (!(magnitude / ((b - a) / std::ldexp(1.0, bits)) < std::ldexp(1.0, 30))) {
    std::ostringstream message;
    message << "the rows reach " << magnitude << " with a spread of " << range.max - range.min << ": more than 2^30 INT" << bits
            << " quantization steps from 0 (the limit; an offset too large for the spread)";
    throw Error(message.str());
  }
  const QuantParams p = asymmetric_params(a, b, bits, true);
  QuantizedRows q{in.rows, in.cols, huge_page_vector<int32_t>(in.values.size()), p.scale, "INT" + std::to_string(bits)};
  quantize_values(in.values.data(), in.values.size(), p.scale, p.zero_point, p.qmin, p.qmax, q.v.data());
  return q;
}

double max_magnitude(const Rows& in) {
  double m = 0;
  for (const double x : in.values) m = std::max(m, std::fabs(x));
  return m;
}

// Symmetric with ties to even, as the I-BERT / I-ViT code bases quantize.
QuantizedRows quantize_symmetric_rows(const Rows& in, int bits, double scale, const std::string& description) {
  QuantizedRows q{in.rows, in.cols, huge_page_vector<int32_t>(in.values.size()), scale, description};
  for (size_t i = 0; i < in.values.size(); ++i) q.v[i] = static_cast<int32_t>(quantize_symmetric(in.values[i], scale, bits));
  return q;
}

QuantizedRows method_input(Method method, CompositeOp op, const Rows& in) {
  if (method == Method::ibert) {
    const double max_abs = max_magnitude(in);
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
    return quantize_symmetric_rows(in, bits, symmetric_scale(max_magnitude(in), bits, ivit::kMinScale), "INT" + std::to_string(bits) + " symmetric");
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
  // The inputs it takes without clamping.
  Approximation domain() const {
    Approximation a;
    if (lut) a.domain = {lut->range_min(), lut->range_max()};
    else if (nnlut != nullptr && nnlut->input_scaling == NnLutInputScaling::clamp) a.domain = {nnlut->range_min, nnlut->range_max};
    return a;
  }
};

// "[-5.9, 0]", or how a table without ends takes any input.
std::string domain_text(const TableLookup& t) {
  const InputRange d = t.domain().domain;
  if (!std::isfinite(d.min) && !std::isfinite(d.max)) return "any input (scaled into its table)";
  std::ostringstream text;
  text << std::setprecision(4) << "[" << d.min << ", " << d.max << "]";
  return text.str();
}

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

// Per row: the integer mean (floor; 0 for RMSNorm) and the 16-bit variance floor(sum d^2 / n).
struct RowStatistics {
  std::vector<int64_t> means, variances;
};
RowStatistics row_statistics(CompositeOp op, const QuantizedRows& q) {
  RowStatistics s;
  const int64_t n = q.cols;
  for (int64_t r = 0; r < q.rows; ++r) {
    const int32_t* v = q.row(r);
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

std::vector<double> scaled(const ScaledInts& s) {
  std::vector<double> out(s.q.size());
  for (size_t i = 0; i < s.q.size(); ++i) out[i] = static_cast<double>(s.q[i]) * s.scale;
  return out;
}

}  // namespace

struct CompositeComputation::State {
  Method method = Method::fp32;
  CompositeOp op = CompositeOp::softmax;
  QuantizedRows q;
  int64_t span = 0, lowest = 0;  // of the quantized values
  int64_t table_bytes = 0;
  // LUT softmax: the exponential per k = max - v (a code for a Bespoke-style table, a value for NN-LUT),
  // and the reciprocal (a table, or the range-reduced one of the integer sum).
  std::optional<BespokeLut> exp_lut;
  std::vector<uint16_t> exp_code_of_k;
  std::vector<double> exp_value_of_k;
  TableLookup reciprocal;
  const RangeReducedLut* reciprocal_rr = nullptr;
  // LUT norms: the integer mean and the rsqrt lookup's result per row.
  std::vector<int64_t> means;
  std::vector<double> inverse;
  // Integer kernels: the whole result, computed at once (their calibrations span the tensor).
  std::vector<double> whole;
  std::string tables;
  std::map<Function, ClampCount> clamped;

  void count(Function f, const TableLookup& t, double x) {
    ClampCount& c = clamped[f];
    ++c.total;
    c.outside += clamps(t.domain(), f, x) ? 1 : 0;
  }

  void prepare_lut_softmax(const CompositeOptions& o);
  void prepare_lut_norm(const CompositeOptions& o);
  void lut_softmax(int64_t first, int64_t count, double* y) const;
};

void CompositeComputation::State::prepare_lut_softmax(const CompositeOptions& o) {
  // Per-layer calibration on the rows: x - max spans [min - max, 0].
  const double exp_min = std::min(-1e-3, static_cast<double>(-span) * q.scale);
  const TableLookup exp_table = table_lookup(method, Function::exp, exp_min, 0.0, o);
  // The span of integer inputs is small (INT8: at most 256 distinct x - max): one code or value per k.
  std::vector<double> exp_of_k;  // what the unit returns for k, as the sum adds it up
  for (int64_t k = 0; k <= span; ++k) {
    const double x = static_cast<double>(-k) * q.scale;
    if (exp_table.lut) {
      exp_code_of_k.push_back(exp_table.lut->code_of(x));
      exp_of_k.push_back(exp_table.lut->lookup(exp_code_of_k.back()));
    } else {
      exp_value_of_k.push_back(exp_table(x));
      exp_of_k.push_back(exp_value_of_k.back());
    }
  }
  exp_lut = exp_table.lut;
  // The reciprocal reads the row sums: its per-layer range is calibrated on them, as the ONNX path
  // calibrates it (the sums of a softmax's rows lie anywhere in [1, n], mostly far below n).
  double low = INFINITY, high = -INFINITY;
  const double sum_scale = exp_table.lut ? exp_table.lut->out_scale() : 1.0;
  for (int64_t r = 0; r < q.rows; ++r) {
    const int32_t* v = q.row(r);
    const int32_t m = value_range(v, static_cast<size_t>(q.cols)).max;
    double sum = 0;
    for (int64_t i = 0; i < q.cols; ++i) sum += exp_of_k[static_cast<size_t>(m - v[i])];
    low = std::min(low, sum * sum_scale);
    high = std::max(high, sum * sum_scale);
  }
  const InputRange sums = table_range(low, high);
  const bool reduced = reduces(method, o, Function::reciprocal);
  if (reduced) {
    reciprocal_rr = &cached_range_reduced_lut(Function::reciprocal);
  } else {
    reciprocal = table_lookup(method, Function::reciprocal, sums.min, sums.max, o);
  }
  table_bytes = exp_table.bytes() + (reduced ? static_cast<int64_t>(reciprocal_rr->table_bytes()) : reciprocal.bytes());
  // What clamps: exp inputs below its table (counted per element), row sums outside the reciprocal's.
  for (int64_t r = 0; r < q.rows; ++r) {
    const int32_t* v = q.row(r);
    const int32_t m = value_range(v, static_cast<size_t>(q.cols)).max;
    double sum = 0;
    for (int64_t i = 0; i < q.cols; ++i) {
      count(Function::exp, exp_table, static_cast<double>(v[i] - m) * q.scale);
      sum += exp_of_k[static_cast<size_t>(m - v[i])];
    }
    if (!reduced) count(Function::reciprocal, reciprocal, sum * sum_scale);
  }
  tables = "exp over " + domain_text(exp_table) + ", reciprocal over " +
           (reduced ? std::string("every 32-bit sum (range-reduced)") : domain_text(reciprocal) + (method == Method::bespoke ? " (calibrated on the rows' sums)" : ""));
}

void CompositeComputation::State::prepare_lut_norm(const CompositeOptions& o) {
  const RowStatistics stats = row_statistics(op, q);
  means = stats.means;
  inverse.resize(stats.variances.size());
  if (reduces(method, o, Function::rsqrt)) {
    // The integer variance plus eps on the same scale s^2, shifted right by an even k (calibrated on the
    // tensor) until it fits the unit's 32-bit input: x = X s^2 2^k.
    const double eps_code = std::min(std::ldexp(1.0, 62), std::round(kNormEpsilon / (q.scale * q.scale)));
    int64_t largest = 0;
    for (const int64_t var : stats.variances) largest = std::max(largest, var + static_cast<int64_t>(eps_code));
    int shift = 0;
    while ((largest >> shift) > 0xFFFFFFFFLL) shift += 2;
    const RangeReducedLut& rr = cached_range_reduced_lut(Function::rsqrt);
    table_bytes = static_cast<int64_t>(rr.table_bytes());
    tables = "rsqrt over every 32-bit variance (range-reduced)";
    const double input_root = q.scale * std::ldexp(1.0, shift / 2);  // sqrt(s^2 2^k)
    for (size_t r = 0; r < inverse.size(); ++r) {
      inverse[r] = rr.value(static_cast<uint32_t>((stats.variances[r] + static_cast<int64_t>(eps_code)) >> shift)) / input_root;
    }
    return;
  }
  std::vector<double> variances;
  for (const int64_t var : stats.variances) variances.push_back(static_cast<double>(var) * q.scale * q.scale + kNormEpsilon);
  const auto [lo, hi] = std::minmax_element(variances.begin(), variances.end());
  const TableLookup rsqrt = table_lookup(method, Function::rsqrt, *lo, *hi > *lo ? *hi : *lo * 2, o);
  table_bytes = rsqrt.bytes();
  for (size_t r = 0; r < variances.size(); ++r) {
    inverse[r] = rsqrt(variances[r]);
    count(Function::rsqrt, rsqrt, variances[r]);
  }
  tables = "rsqrt over " + domain_text(rsqrt) + (method == Method::bespoke ? " (calibrated on the rows' variances)" : "");
}

void CompositeComputation::State::lut_softmax(int64_t first, int64_t count, double* y) const {
  const int64_t n = q.cols;
  if (exp_lut) {
    // The exponentials as the unit computes them: INT16 outputs of one batched lookup for the block,
    // summed in 32 bits per row.
    std::vector<uint16_t> codes(static_cast<size_t>(count * n));
    for (int64_t r = 0; r < count; ++r) {
      const int32_t* v = q.row(first + r);
      const int32_t m = value_range(v, static_cast<size_t>(n)).max;
      uint16_t* c = &codes[static_cast<size_t>(r * n)];
      for (int64_t i = 0; i < n; ++i) c[i] = exp_code_of_k[static_cast<size_t>(m - v[i])];
    }
    std::vector<int16_t> e(codes.size());
    exp_lut->lookup_batch(codes.data(), e.data(), codes.size());
    for (int64_t r = 0; r < count; ++r) {
      const int16_t* er = &e[static_cast<size_t>(r * n)];
      int64_t sum = 0;  // at most 131,072 x 32,767 < 2^32 (row_distributions.hpp)
      for (int64_t i = 0; i < n; ++i) sum += er[i];
      // out = e s_exp / (sum s_exp): with the range-reduced reciprocal of the integer sum, s_exp cancels.
      const double factor = reciprocal_rr ? reciprocal_rr->value(static_cast<uint32_t>(sum))
                                          : exp_lut->out_scale() * reciprocal(static_cast<double>(sum) * exp_lut->out_scale());
      double* yr = y + r * n;
      for (int64_t i = 0; i < n; ++i) yr[i] = static_cast<double>(er[i]) * factor;
    }
    return;
  }
  for (int64_t r = 0; r < count; ++r) {
    const int32_t* v = q.row(first + r);
    const int32_t m = value_range(v, static_cast<size_t>(n)).max;
    double* yr = y + r * n;
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i) sum += (yr[i] = exp_value_of_k[static_cast<size_t>(m - v[i])]);
    const double inv = reciprocal(sum);
    for (int64_t i = 0; i < n; ++i) yr[i] *= inv;
  }
}

CompositeComputation::CompositeComputation(Method method, CompositeOp op, const Rows& input, const CompositeOptions& options)
    : state_(std::make_unique<State>()) {
  check_rows(input);
  State& s = *state_;
  s.method = method;
  s.op = op;
  s.q = method_input(method, op, input);
  const IntRange range = value_range(s.q.v.data(), s.q.v.size());
  s.lowest = range.min;
  s.span = static_cast<int64_t>(range.max) - range.min;
  const bool mean = op == CompositeOp::layernorm;
  switch (method) {
    case Method::fp32: break;
    case Method::bespoke:
    case Method::bespoke_rr:
    case Method::universal:
    case Method::nnlut:
    case Method::nnlut_lsq:
      if (op == CompositeOp::softmax) {
        s.prepare_lut_softmax(options);
      } else {
        s.prepare_lut_norm(options);
      }
      break;
    case Method::ibert:
    case Method::ibert8:
      s.whole = scaled(op == CompositeOp::softmax ? ibert::softmax(s.q.wide(), s.q.rows, s.q.cols, s.q.scale)
                                                  : ibert::layernorm(s.q.wide(), s.q.rows, s.q.cols, mean));
      break;
    case Method::ivit:
      s.whole = scaled(op == CompositeOp::softmax ? ivit::shiftmax(s.q.wide(), s.q.rows, s.q.cols, s.q.scale)
                                                  : ivit::layernorm(s.q.wide(), s.q.rows, s.q.cols, mean));
      break;
    case Method::ivit_plus:
      s.whole.reserve(s.q.v.size());
      for (int64_t r = 0; r < s.q.rows; ++r) {
        const std::vector<int64_t> row(s.q.row(r), s.q.row(r) + s.q.cols);
        const ScaledInts y = op == CompositeOp::softmax ? ivit_plus::shiftmax(row, s.q.scale, 16) : ivit_plus::layernorm(row, mean);
        for (const int64_t v : y.q) s.whole.push_back(static_cast<double>(v) * y.scale);
      }
      break;
  }
}

CompositeComputation::~CompositeComputation() = default;
CompositeComputation::CompositeComputation(CompositeComputation&&) noexcept = default;

int64_t CompositeComputation::rows() const { return state_->q.rows; }
int64_t CompositeComputation::cols() const { return state_->q.cols; }
const std::string& CompositeComputation::input() const { return state_->q.description; }
int64_t CompositeComputation::table_bytes() const { return state_->table_bytes; }
const std::string& CompositeComputation::tables() const { return state_->tables; }
const std::map<Function, ClampCount>& CompositeComputation::clamped() const { return state_->clamped; }

double CompositeComputation::reference_largest(int64_t row) const {
  const State& s = *state_;
  const int64_t n = s.q.cols;
  const int32_t* v = s.q.row(row);
  if (s.op == CompositeOp::softmax && s.span < n) {
    // The largest softmax value is the row maximum's: exp(x_max - m) / sum, the same operations as reference().
    const int32_t top = value_range(v, static_cast<size_t>(n)).max;
    const double m = static_cast<double>(top) * s.q.scale;
    std::vector<double> exp_of(static_cast<size_t>(s.span) + 1);
    for (int64_t k = 0; k <= s.span; ++k) exp_of[static_cast<size_t>(k)] = std::exp(static_cast<double>(s.lowest + k) * s.q.scale - m);
    double sum = 0;
    for (int64_t i = 0; i < n; ++i) sum += exp_of[static_cast<size_t>(v[i] - s.lowest)];
    return exp_of[static_cast<size_t>(top - s.lowest)] / sum;
  }
  std::vector<double> y(static_cast<size_t>(n));
  reference(row, y.data());
  double largest = 0;
  for (const double value : y) largest = std::max(largest, std::fabs(value));
  return largest;
}

void CompositeComputation::reference(int64_t row, double* y) const {
  const State& s = *state_;
  const int64_t n = s.q.cols;
  const int32_t* v = s.q.row(row);
  if (s.op == CompositeOp::softmax && s.span < n) {
    // exp(x - m) of the row's few distinct values, each computed once: the same double operations as
    // for every element (x = v s, m the largest x).
    const double m = static_cast<double>(value_range(v, static_cast<size_t>(n)).max) * s.q.scale;
    std::vector<double> exp_of(static_cast<size_t>(s.span) + 1);
    for (int64_t k = 0; k <= s.span; ++k) exp_of[static_cast<size_t>(k)] = std::exp(static_cast<double>(s.lowest + k) * s.q.scale - m);
    double sum = 0;
    for (int64_t i = 0; i < n; ++i) sum += exp_of[static_cast<size_t>(v[i] - s.lowest)];
    for (double& e : exp_of) e /= sum;  // y = exp / sum, also divided once per distinct value
    for (int64_t i = 0; i < n; ++i) y[i] = exp_of[static_cast<size_t>(v[i] - s.lowest)];
    return;
  }
  std::vector<double> x(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) x[static_cast<size_t>(i)] = static_cast<double>(v[i]) * s.q.scale;
  reference_row<double>(s.op, x.data(), y, n);
}

void CompositeComputation::output(int64_t first, int64_t count, double* y) const {
  const State& s = *state_;
  const int64_t n = s.q.cols;
  if (first < 0 || count < 0 || first + count > s.q.rows) throw Error("composite output rows out of range");
  switch (s.method) {
    case Method::fp32: {
      std::vector<float> x(static_cast<size_t>(n)), yf(static_cast<size_t>(n));
      for (int64_t r = 0; r < count; ++r) {
        const int32_t* v = s.q.row(first + r);
        for (int64_t i = 0; i < n; ++i) x[static_cast<size_t>(i)] = static_cast<float>(static_cast<double>(v[i]) * s.q.scale);
        reference_row<float>(s.op, x.data(), yf.data(), n);
        std::copy(yf.begin(), yf.end(), y + r * n);
      }
      return;
    }
    case Method::bespoke:
    case Method::bespoke_rr:
    case Method::universal:
    case Method::nnlut:
    case Method::nnlut_lsq:
      if (s.op == CompositeOp::softmax) {
        s.lut_softmax(first, count, y);
        return;
      }
      for (int64_t r = 0; r < count; ++r) {
        const int32_t* v = s.q.row(first + r);
        const int64_t mean = s.means[static_cast<size_t>(first + r)];
        const double inv = s.inverse[static_cast<size_t>(first + r)];
        double* yr = y + r * n;
        for (int64_t i = 0; i < n; ++i) yr[i] = static_cast<double>(v[i] - mean) * s.q.scale * inv;
      }
      return;
    default:
      std::copy(s.whole.begin() + first * n, s.whole.begin() + (first + count) * n, y);
      return;
  }
}

CompositeResult composite_run(Method method, CompositeOp op, const Rows& input, const CompositeOptions& options) {
  const CompositeComputation c(method, op, input, options);
  CompositeResult result;
  result.input = c.input();
  result.table_bytes = c.table_bytes();
  result.output.resize(static_cast<size_t>(c.rows() * c.cols()));
  result.reference.resize(result.output.size());
  c.output(0, c.rows(), result.output.data());
  for (int64_t r = 0; r < c.rows(); ++r) c.reference(r, &result.reference[static_cast<size_t>(r * c.cols())]);
  return result;
}

std::vector<LookupStream> bespoke_lookup_streams(CompositeOp op, const Rows& input) {
  check_rows(input);
  const QuantizedRows q = quantize_common(op, input);
  const int64_t n = q.cols;
  std::vector<LookupStream> streams;
  if (op == CompositeOp::softmax) {
    const auto [lo, hi] = std::minmax_element(q.v.begin(), q.v.end());
    const double d_min = std::min(-1e-3, static_cast<double>(*lo - *hi) * q.scale);
    LookupStream exp_stream{BespokeLut::build(Function::exp, d_min, 0.0), {}};
    std::vector<double> sums;  // the 32-bit sums of the INT16 exp outputs, as the reciprocal reads them
    for (int64_t r = 0; r < q.rows; ++r) {
      const int32_t* v = q.row(r);
      const int64_t m = *std::max_element(v, v + n);
      int64_t sum = 0;
      for (int64_t i = 0; i < n; ++i) {
        const uint16_t code = exp_stream.lut.code_of(static_cast<double>(v[i] - m) * q.scale);
        exp_stream.codes.push_back(code);
        sum += exp_stream.lut.lookup(code);
      }
      sums.push_back(static_cast<double>(sum) * exp_stream.lut.out_scale());
    }
    // Calibrated on the sums, as CompositeComputation's per-layer reciprocal.
    const auto [low, high] = std::minmax_element(sums.begin(), sums.end());
    const InputRange range = table_range(*low, *high);
    LookupStream recip_stream{BespokeLut::build(Function::reciprocal, range.min, range.max), {}};
    for (const double sum : sums) recip_stream.codes.push_back(recip_stream.lut.code_of(sum));
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

}  // namespace npusim
