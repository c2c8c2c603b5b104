#include "models/approximation.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>

#include "models/error.hpp"
#include "models/ibert_kernels.hpp"
#include "models/io/did_you_mean.hpp"
#include "models/ivit_kernels.hpp"
#include "models/nn_lut.hpp"
#include "models/quantization.hpp"

namespace npusim {

std::string_view method_name(Method m) {
  switch (m) {
    case Method::fp32: return "fp32";
    case Method::bespoke: return "bespoke";
    case Method::universal: return "universal";
    case Method::nnlut: return "nnlut";
    case Method::ibert: return "ibert";
    case Method::ivit: return "ivit";
  }
  return "?";
}

const std::vector<Method>& all_methods() {
  static const std::vector<Method> methods = {Method::fp32,  Method::bespoke, Method::universal,
                                              Method::nnlut, Method::ibert,   Method::ivit};
  return methods;
}

Method parse_method(std::string_view name) {
  std::vector<std::string> names;
  for (const Method m : all_methods()) {
    if (method_name(m) == name) return m;
    names.emplace_back(method_name(m));
  }
  throw Error("unknown method '" + std::string(name) + "'" + did_you_mean(name, names) + "; known: " + join_names(names));
}

InputRange universal_range(Function f, double range_min, double range_max) {
  InputRange global{-16.0, 16.0};
  switch (f) {
    case Function::exp: global = {-32.0, 0.0}; break;
    case Function::reciprocal: global = {1.0, 4096.0}; break;
    case Function::rsqrt: global = {1e-4, 1024.0}; break;
    case Function::sqrt: global = {0.0, 1024.0}; break;
    default: break;
  }
  return {std::min(global.min, range_min), std::max(global.max, range_max)};
}

namespace {

double fp32(Function f, double x) {
  const float v = static_cast<float>(x);
  switch (f) {
    case Function::exp: return std::exp(v);
    case Function::reciprocal: return 1.0f / v;
    case Function::rsqrt: return 1.0f / std::sqrt(v);
    case Function::sqrt: return std::sqrt(v);
    case Function::gelu: return 0.5f * v * (1.0f + std::erf(v * 0.70710678f));
    case Function::gelu_tanh: return 0.5f * v * (1.0f + std::tanh(0.7978845608f * (v + 0.044715f * v * v * v)));
    case Function::silu: return v / (1.0f + std::exp(-v));
    case Function::sigmoid: return 1.0f / (1.0f + std::exp(-v));
    case Function::tanh: return std::tanh(v);
    case Function::relu: return v > 0 ? v : 0.0f;
  }
  return NAN;
}

const NnLutTable& cached_nnlut(Function f, int hidden_units) {
  static std::mutex lock;
  static std::map<std::pair<Function, int>, std::unique_ptr<NnLutTable>> tables;
  const std::lock_guard<std::mutex> guard(lock);
  auto& slot = tables[{f, hidden_units}];
  if (!slot) {
    NnLutTrainOptions options;
    options.hidden_units = hidden_units;
    slot = std::make_unique<NnLutTable>(build_nnlut(f, options));
  }
  return *slot;
}

Approximation from_lut(Method method, const BespokeLut& lut) {
  Approximation a;
  a.method = method;
  a.evaluate = [lut](double x) { return lut.output_value(lut.lookup(lut.code_of(x))); };
  a.table_bytes = static_cast<int64_t>(lut.table_bytes());
  a.cycles_per_lookup = 2;  // SPEC 3/4: 2 cycles per lookup, no comparator
  return a;
}

// The integer kernels see x on a 16-bit grid over the calibrated range (their INT32 inputs come from a
// 16-bit activation or an accumulator; 16 bits keeps the grid fine enough for their polynomials).
double grid_scale(double range_min, double range_max) {
  return std::max(std::fabs(range_min), std::fabs(range_max)) / 32767.0;
}

}  // namespace

std::optional<Approximation> approximate(Method method, Function f, double range_min, double range_max,
                                         int nnlut_hidden_units) {
  switch (method) {
    case Method::fp32: {
      Approximation a;
      a.method = method;
      a.evaluate = [f](double x) { return fp32(f, x); };
      return a;
    }
    case Method::bespoke: return from_lut(method, BespokeLut::build(f, range_min, range_max));
    case Method::universal: {
      const InputRange r = universal_range(f, range_min, range_max);
      return from_lut(method, BespokeLut::build(f, r.min, r.max));
    }
    case Method::nnlut: {
      const NnLutTable& table = cached_nnlut(f, nnlut_hidden_units);
      Approximation a;
      a.method = method;
      a.evaluate = [&table](double x) { return table.evaluate(x); };
      a.table_bytes = table.table_bytes();
      a.cycles_per_lookup = 3;  // SPEC 4: 2 as published, 3 under INT32 on this NPU
      return a;
    }
    case Method::ibert:
    case Method::ivit: {
      if (f != Function::exp && f != Function::gelu) return std::nullopt;
      if (f == Function::exp && range_max > 0) return std::nullopt;  // both kernels take x <= 0
      const double s = grid_scale(range_min, range_max);
      Approximation a;
      a.method = method;
      // SPEC 4: 3 to 5 cycles per element; I-BERT's polynomial is the shorter sequence.
      a.cycles_per_lookup = method == Method::ibert ? 3 : 5;
      a.evaluate = [method, f, s](double x) {
        const std::vector<int64_t> q = {round_half_away(x / s)};
        const ScaledInts y = f == Function::exp
                                 ? (method == Method::ibert ? ibert::exp(q, s) : ivit::shift_exp(q, s, ivit::kShiftmaxN))
                                 : (method == Method::ibert ? ibert::gelu(q, s) : ivit::shift_gelu(q, s));
        return static_cast<double>(y.q[0]) * y.scale;
      };
      return a;
    }
  }
  return std::nullopt;
}

}  // namespace npusim
