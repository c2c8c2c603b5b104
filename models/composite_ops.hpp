// Composite operations (SPEC 2.5) on quantized rows, with every method: softmax, LayerNorm and RMSNorm.
// The LUT methods decompose as the MAU does (max, subtract, exp lookups, a 32-bit sum, a reciprocal
// lookup, products; mean, 16-bit variance, an rsqrt lookup); I-BERT and I-ViT run their integer
// kernels; FP32 is the DSP's float computation. gamma = 1 and beta = 0.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "models/approximation.hpp"

namespace npusim {

enum class CompositeOp { softmax, layernorm, rmsnorm };
std::string_view composite_op_name(CompositeOp op);
CompositeOp parse_composite_op(std::string_view name);

struct Rows {
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<double> values;  // row-major
};

// Seeded rows from "normal:MEAN,STD" or "uniform:A,B"; throws npusim::Error for a bad spec or shape.
Rows random_rows(int64_t rows, int64_t cols, const std::string& distribution, uint64_t seed);

// The double-precision result, the reference every method is measured against.
std::vector<double> composite_reference(CompositeOp op, const Rows& input);

// The method's result. Inputs are quantized first (softmax: INT8; the norms read the 16-bit residual
// stream: INT16), with ranges calibrated on `input` itself; the LUT methods calibrate their tables on it
// too (per layer), the universal LUT and NN-LUT use their global ranges.
std::vector<double> composite_run(Method method, CompositeOp op, const Rows& input);

// The lookups a composite op sends to the Bespoke LUT unit (its per-layer tables and the input codes in
// order): softmax's exp per element then reciprocal per row; the norms' rsqrt per row. For golden
// vectors at the unit's boundary.
struct LookupStream {
  BespokeLut lut;
  std::vector<uint16_t> codes;
};
std::vector<LookupStream> bespoke_lookup_streams(CompositeOp op, const Rows& input);

}  // namespace npusim
