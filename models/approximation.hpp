// Every method of computing a non-linear function that npusim compares (SPEC 2.6): FP32 on the DSP,
// the per-layer Bespoke LUT, the universal LUT, NN-LUT, and the I-BERT / I-ViT integer kernels.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/bespoke_lut.hpp"
#include "models/golden_functions.hpp"
#include "models/universal_lut.hpp"

namespace npusim {

enum class Method { fp32, bespoke, universal, nnlut, ibert, ivit };
std::string_view method_name(Method m);
Method parse_method(std::string_view name);  // throws with a did-you-mean
const std::vector<Method>& all_methods();

// The universal LUT's range per function: what the union of a Transformer's instance ranges typically
// spans (one table per function for the whole model, SPEC 2.4), widened to cover a given range.
InputRange universal_range(Function f, double range_min, double range_max);

struct Approximation {
  Method method = Method::fp32;
  std::function<double(double)> evaluate;  // y for x (batch-free; the integer kernels see one value)
  int64_t table_bytes = 0;
  double cycles_per_lookup = 0.0;          // 0 where the method has no lookup (FP32 on the DSP)
};

// How `method` computes `f` for inputs calibrated to [range_min, range_max]; nullopt when the method
// has no kernel for f (I-BERT and I-ViT compute exp and GELU only; reciprocal and rsqrt are part of
// their softmax and LayerNorm). NN-LUT tables are trained once per function and cached.
// `nnlut_hidden_units`: 15 (16 segments) by default; the Bespoke paper's comparison used 127 (128 segments).
std::optional<Approximation> approximate(Method method, Function f, double range_min, double range_max,
                                         int nnlut_hidden_units = 15);

}  // namespace npusim
