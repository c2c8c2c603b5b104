// The tables a process shares between every use of a method: NN-LUT networks trained once per
// function and size, least-squares reference fits, and the range-reduced tables (thread-safe).
#pragma once

#include "models/core/golden_functions.hpp"
#include "models/nnlut/nn_lut.hpp"
#include "models/lut/range_reduced_lut.hpp"

namespace npusim {

const NnLutTable& cached_nnlut(Function f, int hidden_units);
const NnLutTable& cached_nnlut_least_squares(Function f, int segments);
const RangeReducedLut& cached_range_reduced_lut(Function f);

}  // namespace npusim
