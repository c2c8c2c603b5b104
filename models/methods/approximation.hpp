// Every method of computing a non-linear function that npusim compares (SPEC 2.6): FP32 on the DSP,
// the per-layer Bespoke LUT and its range-reduced form, the universal LUT, NN-LUT and its least-squares
// reference line, and the I-BERT / I-ViT integer kernels (as published, and the labelled variants).
#pragma once

#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/lut/bespoke_lut.hpp"
#include "models/core/golden_functions.hpp"
#include "models/lut/universal_lut.hpp"

namespace npusim {

enum class Method { fp32, bespoke, bespoke_rr, universal, nnlut, nnlut_lsq, ibert, ibert8, ivit, ivit_plus };
std::string_view method_name(Method m);      // "bespoke-rr", "nnlut-lsq", "ivit+", ...
std::string_view method_summary(Method m);   // one line: what it is and whose it is (published, ours, reference)
Method parse_method(std::string_view name);  // throws with a did-you-mean
const std::vector<Method>& all_methods();

// Cycles per lookup or per element on this NPU (SPEC 4): Bespoke and universal LUT 2, bespoke-rr 3 (a
// leading-one detector and normalising shifter stage before the table), NN-LUT 3, I-BERT 3, I-ViT 5;
// 0 for FP32 on the DSP.
double method_cycles(Method m);

// The universal LUT's range per function: what the union of a Transformer's instance ranges typically
// spans (one table per function for the whole model, SPEC 2.4), widened to cover a given range.
InputRange universal_range(Function f, double range_min, double range_max);

struct Approximation {
  Method method = Method::fp32;
  std::function<double(double)> evaluate;  // y for x (the integer kernels see one value)
  // y[i] for x[i], i < n, the same bits as evaluate: the table methods look all of them up in one batched
  // call; empty where the method has no batch form (evaluate is then called per value).
  std::function<void(const double* x, double* y, size_t n)> evaluate_batch;
  int64_t table_bytes = 0;
  double cycles_per_lookup = 0.0;          // 0 where the method has no lookup (FP32 on the DSP)
  // The inputs the method takes as they are; others it clamps to this range (a table's ends, a
  // saturating INT8 grid). Infinite where nothing clamps.
  InputRange domain{-INFINITY, INFINITY};
  // Non-empty when the method's published integer constants do not fit this range and grid (I-BERT's
  // i-erf on an INT8 grid, I-ViT's ShiftGELU past its exponent's resolution): why. Its numbers are then
  // the method outside its domain, not a measurement of it.
  std::string outside_domain;
};

// Inputs a lookup clamped, of all it saw.
struct ClampCount {
  int64_t outside = 0;
  int64_t total = 0;
};

struct ApproximationOptions {
  int nnlut_hidden_units = 15;  // 16 segments; the Bespoke paper's comparison used 127 (128 segments)
  LutOptions lut;               // index bits and dual-range table of the Bespoke and universal LUTs
};

// A table's range from observed inputs: [lo, hi], widened by a relative 1e-6 (at least 1e-9) each way
// when they are all one value, since a table needs min < max.
InputRange table_range(double lo, double hi);

// Whether clamping x into the approximation's domain changes what f gives by more than the method can
// resolve: exp below a domain whose lower end already gives less than 2^-16 (masked logits) does not.
bool clamps(const Approximation& a, Function f, double x);

// How `method` computes `f` for inputs calibrated to [range_min, range_max]; nullopt when the method has
// no kernel for f (I-BERT and I-ViT compute exp (x <= 0) and GELU only; their reciprocal and rsqrt are
// part of their softmax and LayerNorm; bespoke-rr reduces reciprocal and rsqrt only). Each method sees
// x on its own input grid: the LUTs their 16-bit codes, ibert the INT32 accumulator (max |x| at 2^15
// codes), ibert8 INT8 (SPEC 2.1), ivit INT8 symmetric (its published quantizer), ivit+ a 16-bit grid.
// NN-LUT tables are trained once per function and cached. Throws npusim::Error where the range lies
// outside a kernel's integer domain (the message says why).
std::optional<Approximation> approximate(Method method, Function f, double range_min, double range_max,
                                         const ApproximationOptions& options = {});

}  // namespace npusim
