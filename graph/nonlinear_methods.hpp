// A non-linear instance computed by one of npusim's methods (models/methods/approximation,
// models/composite/composite_ops) in place of its FP32 nodes:
// - element-wise functions (GELU, SiLU, sigmoid, tanh): the method's evaluator with tables over the
//   instance's range;
// - softmax and the norms, for the table methods (Bespoke, universal LUT, NN-LUT): SPEC 2.5's
//   decomposition around the lookups (max, exp lookups, sum, one reciprocal lookup per row; mean,
//   variance, one rsqrt lookup per row), the arithmetic around the lookups in double precision;
// - softmax and the norms for the integer methods (I-BERT, I-ViT): their composite kernels
//   (composite_run), which quantise each tensor on its own range;
// - bespoke-rr: the range-reduced tables for reciprocal and rsqrt, the per-layer Bespoke table for
//   every other function (exp, GELU, SiLU, ...), as `accuracy` defines it.
// LayerNorm's gamma and beta (and RMSNorm's gamma) are applied after the method's normalisation.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "graph/instance_rows.hpp"
#include "models/methods/approximation.hpp"

namespace npusim::graph {

// The input range of each LUT function of an instance: what its tables are built over.
using InstanceRanges = std::map<Function, std::pair<double, double>>;

using InstanceKernel = std::function<Tensor(const Tensor&)>;

// What a kernel's lookups met: per function, the inputs outside the method's table (or saturating grid)
// that it clamped (approximation.hpp's clamps()), counted while `enabled`; and why a table is outside
// its method's published domain, where one is.
struct ClampCounter {
  bool enabled = false;
  std::map<Function, ClampCount> counts;
  std::vector<std::string> outside_domain;
};

// nullopt when the method leaves the instance in FP32: fp32 itself, a method without a kernel for the
// function (I-BERT and I-ViT have none for SiLU, sigmoid, tanh), and HardSwish / HardSigmoid (piecewise
// linear, no table). Tables are built here, once; a range the method cannot take throws npusim::Error
// naming the instance. `counter`, when given, counts the clamped inputs of every lookup.
std::optional<InstanceKernel> method_kernel(Method method, const NonlinearInstance& instance, const Model& model,
                                            const InstanceRanges& ranges, const ApproximationOptions& options = {},
                                            std::shared_ptr<ClampCounter> counter = nullptr);

}  // namespace npusim::graph
