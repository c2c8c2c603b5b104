#include "models/methods/approximation.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <iomanip>
#include <mutex>
#include <sstream>

#include "common/error.hpp"
#include "models/integer/ibert_kernels.hpp"
#include "common/did_you_mean.hpp"
#include "models/integer/ivit_kernels.hpp"
#include "models/integer/ivit_plus_kernels.hpp"
#include "models/methods/method_tables.hpp"
#include "models/core/quantization.hpp"
#include "models/lut/range_reduced_lut.hpp"

namespace npusim {

std::string_view method_name(Method m) {
  switch (m) {
    case Method::fp32: return "fp32";
    case Method::bespoke: return "bespoke";
    case Method::bespoke_rr: return "bespoke-rr";
    case Method::universal: return "universal";
    case Method::nnlut: return "nnlut";
    case Method::nnlut_lsq: return "nnlut-lsq";
    case Method::ibert: return "ibert";
    case Method::ibert8: return "ibert8";
    case Method::ivit: return "ivit";
    case Method::ivit_plus: return "ivit+";
  }
  return "?";
}

std::string_view method_summary(Method m) {
  switch (m) {
    case Method::fp32: return "FP32 on the DSP";
    case Method::bespoke: return "per-layer Bespoke LUT (the paper)";
    case Method::bespoke_rr: return "range-reduced Bespoke LUT for reciprocal and rsqrt (ours, beyond the paper)";
    case Method::universal: return "one LUT per function over all layers' ranges (SPEC 2.4)";
    case Method::nnlut: return "NN-LUT, ReLU network trained as published";
    case Method::nnlut_lsq: return "reference line: least-squares piecewise-linear fit, NN-LUT's segment count";
    case Method::ibert: return "I-BERT as published (INT32 accumulator input, 8-bit softmax output)";
    case Method::ibert8: return "I-BERT on 8-bit softmax / 16-bit norm inputs (an NPU with 8/16-bit datapaths)";
    case Method::ivit: return "I-ViT as published";
    case Method::ivit_plus: return "I-ViT widened and with extra bits (ours, not published)";
  }
  return "?";
}

const std::vector<Method>& all_methods() {
  static const std::vector<Method> methods = {Method::fp32,      Method::bespoke, Method::bespoke_rr, Method::universal,
                                              Method::nnlut,     Method::nnlut_lsq, Method::ibert,    Method::ibert8,
                                              Method::ivit,      Method::ivit_plus};
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

double method_cycles(Method m) {
  switch (m) {
    case Method::fp32: return 0;
    case Method::bespoke:
    case Method::universal: return 2;  // SPEC 3/4: 2 cycles per lookup, no comparator
    case Method::bespoke_rr: return 3;  // + the leading-one detector and normalising shifter stage
    case Method::nnlut:
    case Method::nnlut_lsq: return 3;   // SPEC 4: 2 as published, 3 under INT32 on this NPU
    case Method::ibert:
    case Method::ibert8: return 3;      // SPEC 4: 3 to 5; I-BERT's polynomial is the shorter sequence
    case Method::ivit:
    case Method::ivit_plus: return 5;
  }
  return 0;
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

std::string short_number(double v) {
  std::ostringstream text;
  text << std::setprecision(3) << v;
  return text.str();
}

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

Approximation made(Method method, std::function<double(double)> evaluate, int64_t table_bytes = 0) {
  Approximation a;
  a.method = method;
  a.evaluate = std::move(evaluate);
  a.table_bytes = table_bytes;
  a.cycles_per_lookup = method_cycles(method);
  return a;
}

Approximation from_lut(Method method, const BespokeLut& lut) {
  const auto shared = std::make_shared<const BespokeLut>(lut);
  Approximation a = made(method, [shared](double x) { return shared->output_value(shared->lookup(shared->code_of(x))); },
                         static_cast<int64_t>(lut.table_bytes()));
  a.domain = {lut.range_min(), lut.range_max()};
  a.evaluate_batch = [shared](const double* x, double* y, size_t n) {
    std::vector<uint16_t> codes(n);
    for (size_t i = 0; i < n; ++i) codes[i] = shared->code_of(x[i]);
    std::vector<int16_t> out(n);
    shared->lookup_batch(codes.data(), out.data(), n);
    for (size_t i = 0; i < n; ++i) y[i] = shared->output_value(out[i]);
  };
  return a;
}

Approximation range_reduced(Function f, double range_max) {
  const RangeReducedLut& lut = cached_range_reduced_lut(f);
  const double s_in = range_reduced_input_scale(f, range_max);
  const double output_factor = f == Function::reciprocal ? 1.0 / s_in : 1.0 / std::sqrt(s_in);
  Approximation a = made(Method::bespoke_rr, [&lut, s_in, output_factor](double x) {
    const int64_t code = clamp_int(round_half_away(std::max(x, 0.0) / s_in), 0, 0xFFFFFFFF);
    return lut.value(static_cast<uint32_t>(code)) * output_factor;
  }, static_cast<int64_t>(lut.table_bytes()));
  a.domain = {0.0, s_in * 4294967295.0};  // the unit's unsigned 32-bit input code
  return a;
}

// x on the method's input grid: the integer v and its scale.
struct Grid {
  double scale = 1.0;
  std::function<int64_t(double)> code;
};

Grid integer_grid(Method method, double a, double b) {
  const double max_abs = std::max(std::fabs(a), std::fabs(b));
  Grid g;
  switch (method) {
    case Method::ibert: {
      g.scale = max_abs > 0 ? max_abs / ibert::kAccumulatorCodes : 1.0;
      const double s = g.scale;
      g.code = [s](double x) { return static_cast<int64_t>(round_half_even(x / s)); };
      return g;
    }
    case Method::ibert8: {
      const QuantParams p = asymmetric_params(a, b, 8, true);
      g.scale = p.scale;
      g.code = [p](double x) { return quantize(x, p) - p.zero_point; };
      return g;
    }
    case Method::ivit: {
      g.scale = symmetric_scale(max_abs, ivit::kGeluInputBits, ivit::kMinScale);
      const double s = g.scale;
      g.code = [s](double x) { return quantize_symmetric(x, s, ivit::kGeluInputBits); };
      return g;
    }
    default: {  // ivit+: a 16-bit grid over the calibrated range
      g.scale = max_abs > 0 ? max_abs / 32767.0 : 1.0;
      const double s = g.scale;
      g.code = [s](double x) { return round_half_away(x / s); };
      return g;
    }
  }
}

std::optional<Approximation> integer_kernel(Method method, Function f, double a, double b);

// Where an integer method's input grid saturates: ibert8's asymmetric INT8 over [a, b], ivit's symmetric
// INT8 (and its GELU's row maximum at b); the INT32 accumulator and ivit+'s grid do not saturate.
InputRange integer_domain(Method method, double a, double b) {
  const double max_abs = std::max(std::fabs(a), std::fabs(b));
  if (method == Method::ibert8) return {a, b};
  if (method == Method::ivit) return {-max_abs, b};
  return {-INFINITY, INFINITY};
}

std::optional<Approximation> integer_kernel(Method method, Function f, double a, double b) {
  if (f != Function::exp && f != Function::gelu) return std::nullopt;
  if (f == Function::exp && b > 0) return std::nullopt;  // the kernels take x <= 0
  const Grid grid = integer_grid(method, a, b);
  const double s = grid.scale;
  const auto code = grid.code;
  if (f == Function::exp) {
    switch (method) {
      case Method::ibert:
      case Method::ibert8: {
        const ibert::ExpConstants k = ibert::exp_constants(s);
        return made(method, [k, code](double x) { return static_cast<double>(ibert::exp_int(std::min<int64_t>(0, code(x)), k)) * k.scale; });
      }
      case Method::ivit:
        return made(method, [s, code](double x) {
          return static_cast<double>(ivit::shift_exp(std::min<int64_t>(0, code(x)), s, ivit::kShiftmaxN)) * s / std::ldexp(1.0, ivit::kShiftmaxN);
        });
      default:
        return made(method, [s, code](double x) {
          const ScaledInts e = ivit_plus::shift_exp({std::min<int64_t>(0, code(x))}, s, ivit_plus::kShiftmaxN);
          return static_cast<double>(e.q[0]) * e.scale;
        });
    }
  }
  switch (method) {
    case Method::ibert:
    case Method::ibert8: {
      ibert::gelu({0}, s);  // the constants' domain, checked once
      Approximation a = made(method, [s, code](double x) {
        const ScaledInts y = ibert::gelu({code(x)}, s);
        return static_cast<double>(y.q[0]) * y.scale;
      });
      // i-erf's output step is a s_in^2 2^n (s_in = S / k): with n = 14 it needs a fine input grid.
      const double erf_step = std::fabs(ibert::kErfA) * std::pow(s / ibert::kErfK, 2) * std::ldexp(1.0, ibert::kErfN);
      if (erf_step > 1.0 / 16) {
        a.outside_domain = "I-BERT's i-erf (n = 14) on this grid (input step " + short_number(s) + ") has an output step of " + short_number(erf_step) +
                           ", coarser than 1/16 of erf's range: its published constants need an input step below 5e-3, an accumulator's";
      }
      return a;
    }
    case Method::ivit: {
      // The row holds the calibrated range: its maximum is the range's upper end.
      const int64_t row_max = code(b);
      ivit::shift_exp(-row_max, s * ivit::kGeluSigmoidFactor, ivit::kShiftGeluN);  // the domain, checked once
      Approximation a = made(method, [s, code, row_max](double x) {
        const ScaledInts y = ivit::shift_gelu({std::min(code(x), row_max)}, s, row_max);
        return static_cast<double>(y.q[0]) * y.scale;
      });
      // ShiftGELU's sigmoid divides by exp(-1.702 max) at 2^-n resolution: past n ln 2 it is 0 and every
      // sigmoid is 1 (GELU(x) = x below 0).
      const double exponent = ivit::kGeluSigmoidFactor * std::max(b, 0.0);
      if (exponent > ivit::kShiftGeluN * std::log(2.0)) {
        a.outside_domain = "I-ViT's ShiftGELU with the row maximum at " + short_number(b) + ": exp(-1.702 max) = exp(-" + short_number(exponent) +
                           ") is below its 2^-23 resolution, so every sigmoid is 1 (it fits maxima up to " +
                           short_number(ivit::kShiftGeluN * std::log(2.0) / ivit::kGeluSigmoidFactor) + ")";
      }
      return a;
    }
    default:
      return made(method, [s, code](double x) {
        const ScaledInts y = ivit_plus::shift_gelu({code(x)}, s);
        return static_cast<double>(y.q[0]) * y.scale;
      });
  }
}

}  // namespace

std::optional<Approximation> approximate(Method method, Function f, double range_min, double range_max,
                                         const ApproximationOptions& options) {
  switch (method) {
    case Method::fp32: return made(method, [f](double x) { return fp32(f, x); });
    case Method::bespoke: return from_lut(method, BespokeLut::build(f, range_min, range_max, options.lut));
    case Method::bespoke_rr:
      if (!RangeReducedLut::supports(f)) return std::nullopt;
      return range_reduced(f, range_max);
    case Method::universal: {
      const InputRange r = universal_range(f, range_min, range_max);
      return from_lut(method, BespokeLut::build(f, r.min, r.max, options.lut));
    }
    case Method::nnlut:
    case Method::nnlut_lsq: {
      const NnLutTable& table = method == Method::nnlut ? cached_nnlut(f, options.nnlut_hidden_units)
                                                        : cached_nnlut_least_squares(f, options.nnlut_hidden_units + 1);
      Approximation a = made(method, [&table](double x) { return table.evaluate(x); }, table.table_bytes());
      if (table.input_scaling == NnLutInputScaling::clamp) a.domain = {table.range_min, table.range_max};
      return a;
    }
    case Method::ibert:
    case Method::ibert8:
    case Method::ivit:
    case Method::ivit_plus: {
      auto a = integer_kernel(method, f, range_min, range_max);
      if (a) a->domain = integer_domain(method, range_min, range_max);
      return a;
    }
  }
  return std::nullopt;
}

InputRange table_range(double lo, double hi) {
  if (hi > lo) return {lo, hi};
  const double pad = std::max(1e-9, 1e-6 * std::fabs(lo));
  return {lo - pad, hi + pad};
}

bool clamps(const Approximation& a, Function f, double x) {
  if (x > a.domain.max) return true;
  if (x >= a.domain.min) return false;
  return !(f == Function::exp && std::exp(a.domain.min) < std::ldexp(1.0, -16));
}

}  // namespace npusim
