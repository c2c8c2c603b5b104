// NN-LUT (SPEC 2.6): a one-hidden-layer ReLU network y = sum_i m_i ReLU(n_i x + b_i) + c trained with
// Adam on the target function over a fixed global range, converted exactly into sorted breakpoints
// and one (slope, intercept) pair per segment, and evaluated in INT32 fixed point the way a comparator
// unit does: k = number of breakpoints <= x, y = s_k x + t_k. One universal table per function.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/golden_functions.hpp"

namespace npusim {

struct NnLutNetwork {
  std::vector<double> n, b, m;  // per hidden unit
  double c = 0.0;
  double evaluate(double x) const;
};

struct NnLutTrainOptions {
  int hidden_units = 15;    // 16 segments
  int samples = 2048;       // uniform over the range
  int epochs = 3000;        // full-batch Adam steps
  double learning_rate = 0.01;
  uint64_t seed = 1;
};

// The documented default global range per function (the whole model shares one table).
struct InputRangeDefault {
  double min, max;
};
InputRangeDefault nnlut_default_range(Function f);

// Deterministic for a given seed. Throws npusim::Error for a bad range or option.
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

  // Exact conversion of the network, then quantisation to formats that fit INT32 over the range.
  static NnLutTable from_network(Function f, double range_min, double range_max, const NnLutNetwork& network);
  // Chooses the fixed-point formats for the float segments and fills the INT32 tables.
  void quantize();

  int32_t quantize_input(double x) const;         // rha(x * 2^x_frac_bits), saturated to INT32
  int segment_of(int32_t x_q) const;              // number of breakpoints <= x (the comparators)
  int32_t evaluate_q(int32_t x_q) const;          // INT32 fixed point, output at out_frac_bits
  double evaluate(double x) const;                // quantise, evaluate_q, scale back
  double evaluate_exact(double x) const;          // the float segments, before quantisation
  int64_t table_bytes() const { return 4 * static_cast<int64_t>(breakpoints.size() + slopes.size() + intercepts.size()); }

  std::string to_json() const;
  static NnLutTable from_json(const std::string& text, const std::string& source_name);
};

// Trains on the default range and converts (the usual way to get a table).
NnLutTable build_nnlut(Function f, const NnLutTrainOptions& options = {});

}  // namespace npusim
