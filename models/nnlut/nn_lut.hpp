// NN-LUT (SPEC 2.6): a one-hidden-layer ReLU network y = sum_i m_i ReLU(n_i x + b_i) + c trained with
// Adam on the target function over a fixed global range, converted exactly into sorted breakpoints
// and one (slope, intercept) pair per segment, and evaluated in INT32 fixed point the way a comparator
// unit does: k = number of breakpoints <= x, y = s_k x + t_k. One universal table per function.
// As in the NN-LUT paper, reciprocal and rsqrt scale their input by a power of two (of four for rsqrt)
// into the fitted range [1, 2] / [1, 4] and the output back; every other input is clamped to the fitted
// range (the end segments never extrapolate).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/core/golden_functions.hpp"

namespace npusim {

struct NnLutNetwork {
  std::vector<double> n, b, m;  // per hidden unit
  double c = 0.0;
  double evaluate(double x) const;
};

// Training: the breakpoints start spread by the function's curvature (one at the range start, so the
// first segment inside the range has a free slope), the output layer starts at its least-squares
// solution, then full-batch Adam on the mean-square error moves every parameter with a cosine-decayed
// learning rate, keeping the best parameters seen (normalised coordinates: x and y in [-1, 1]).
struct NnLutTrainOptions {
  int hidden_units = 15;    // 16 segments
  int samples = 2048;       // evenly spaced over the range
  int epochs = 3000;        // full-batch Adam steps
  double learning_rate = 1e-3;
};

// The documented default global range per function (the whole model shares one table).
struct InputRangeDefault {
  double min, max;
};
InputRangeDefault nnlut_default_range(Function f);

// How an input reaches the fitted range: clamped to it, or (reciprocal, rsqrt) scaled by 2^k (4^k) into it.
enum class NnLutInputScaling { clamp, power_of_two, power_of_four };
NnLutInputScaling nnlut_input_scaling(Function f);

// Deterministic. Throws npusim::Error for a bad range or option.
NnLutNetwork train_nnlut(Function f, double range_min, double range_max, const NnLutTrainOptions& options);

// Fixed-point formats: x and breakpoints with x_frac_bits, slopes with slope_frac_bits, intercepts and
// outputs with out_frac_bits; products in 64 bits, rounded half up by an arithmetic shift.
struct NnLutTable {
  Function function = Function::exp;
  double range_min = 0.0, range_max = 1.0;
  std::vector<double> breakpoints;   // sorted, hidden_units of them
  std::vector<double> slopes;        // breakpoints + 1 segments
  std::vector<double> intercepts;
  int x_frac_bits = 16, slope_frac_bits = 16, out_frac_bits = 16;
  std::vector<int32_t> breakpoints_q, slopes_q, intercepts_q;
  NnLutInputScaling input_scaling = NnLutInputScaling::clamp;

  // Exact conversion of the network, then quantisation to formats that fit INT32 over the range.
  static NnLutTable from_network(Function f, double range_min, double range_max, const NnLutNetwork& network);
  // Chooses the fixed-point formats for the float segments and fills the INT32 tables.
  void quantize();

  int32_t quantize_input(double x) const;         // rha(x * 2^x_frac_bits), saturated to INT32
  int segment_of(int32_t x_q) const;              // number of breakpoints <= x (the comparators)
  int32_t evaluate_q(int32_t x_q) const;          // INT32 fixed point, output at out_frac_bits
  // Scales (reciprocal, rsqrt) or clamps x into [range_min, range_max], quantises, evaluate_q, scales back.
  // Reciprocal is odd (a negative x gives minus the reciprocal of |x|); magnitudes below 2^-126 (FP32's
  // smallest normal), zero and negative rsqrt inputs included, read as 2^-126: the pole saturates.
  double evaluate(double x) const;
  double evaluate_exact(double x) const;          // the float segments, before quantisation
  int64_t table_bytes() const { return 4 * static_cast<int64_t>(breakpoints.size() + slopes.size() + intercepts.size()); }

  std::string to_json() const;
  static NnLutTable from_json(const std::string& text, const std::string& source_name);
};

// Trains on the default range and converts (the usual way to get a table).
NnLutTable build_nnlut(Function f, const NnLutTrainOptions& options = {});

// The reference line: the continuous piecewise-linear least-squares fit with free breakpoints
// (models/nnlut/piecewise_linear_fit) and `segments` segments over the default range, in the same table
// format, input handling and INT32 evaluation as NN-LUT.
NnLutTable build_nnlut_least_squares(Function f, int segments = 16);

}  // namespace npusim
