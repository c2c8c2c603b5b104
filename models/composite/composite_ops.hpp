// Composite operations (SPEC 2.5) on quantized rows, with every method: softmax, LayerNorm and RMSNorm.
// The LUT methods decompose as the MAU does (max, subtract, exp lookups, a 32-bit sum, a reciprocal
// lookup, products; mean, 16-bit variance, an rsqrt lookup); I-BERT and I-ViT run their integer
// kernels; FP32 is the DSP's float computation. gamma = 1 and beta = 0.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/methods/approximation.hpp"
#include "models/composite/row_distributions.hpp"

namespace npusim {

enum class CompositeOp { softmax, layernorm, rmsnorm };
std::string_view composite_op_name(CompositeOp op);
CompositeOp parse_composite_op(std::string_view name);

constexpr double kNormEpsilon = 1e-5;

struct CompositeOptions {
  int nnlut_hidden_units = 15;
  // The functions bespoke-rr range-reduces (a subset of reciprocal and rsqrt); the others it looks up
  // in the per-layer Bespoke table.
  std::vector<Function> range_reduced = {Function::reciprocal, Function::rsqrt};
};

// One method's composite op on a set of rows, prepared once and read out row by row (so that a 4096 x
// 4096 measurement never holds more than the input and its quantization). The rows are quantized the way
// the method's datapath receives them: softmax INT8 (SPEC 2.1) and the norms INT16 for the LUT methods,
// fp32, ibert8 and ivit+; ibert reads the INT32 accumulator (softmax) and INT22 (LayerNorm) as published;
// ivit INT8 / INT16 symmetric as published. Ranges are calibrated on the rows themselves; the LUT methods
// calibrate their per-layer tables on them too (softmax: exp over [min(x - max), 0] and the reciprocal
// over the smallest and largest row sum of the exponentials the unit returns; the norms: rsqrt over the
// rows' variances), the universal LUT and NN-LUT use their global ranges.
// The constructor throws npusim::Error for rows outside the limits (row_distributions.hpp) or outside a
// kernel's integer domain (the message says why).
class CompositeComputation {
 public:
  CompositeComputation(Method method, CompositeOp op, const Rows& input, const CompositeOptions& options = {});
  ~CompositeComputation();
  CompositeComputation(CompositeComputation&&) noexcept;

  int64_t rows() const;
  int64_t cols() const;
  const std::string& input() const;  // the input the method receives, e.g. "INT8", "INT32 accumulator"
  int64_t table_bytes() const;       // the tables it uses (per-layer, universal, NN-LUT or range-reduced)
  // The table methods' input ranges, e.g. "exp over [-5.9, 0], reciprocal over [1.2, 37.5]"; "" for the others.
  const std::string& tables() const;
  // Per looked-up function, the inputs outside its table (clamped, approximation.hpp's clamps()).
  const std::map<Function, ClampCount>& clamped() const;

  // The double-precision result of row `row` on the method's own input: the reference its error is
  // measured against. `y` holds cols() values.
  void reference(int64_t row, double* y) const;
  // The largest |value| of that reference row (cheaper than the row itself for softmax).
  double reference_largest(int64_t row) const;
  // The method's result for rows [first, first + count); `y` holds count * cols() values. The LUT methods
  // look up all of them in one batched call (larger blocks amortise the kernel's set-up).
  void output(int64_t first, int64_t count, double* y) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

struct CompositeResult {
  std::vector<double> output;
  std::vector<double> reference;
  std::string input;
  int64_t table_bytes = 0;
};

// The whole result at once (tests, golden flows): output and reference for every row.
CompositeResult composite_run(Method method, CompositeOp op, const Rows& input, const CompositeOptions& options = {});

// The lookups a composite op sends to the Bespoke LUT unit (its per-layer tables and the input codes in
// order): softmax's exp per element then reciprocal per row; the norms' rsqrt per row. For golden
// vectors at the unit's boundary.
struct LookupStream {
  BespokeLut lut;
  std::vector<uint16_t> codes;
};
std::vector<LookupStream> bespoke_lookup_streams(CompositeOp op, const Rows& input);

}  // namespace npusim
