// The rows composite ops are measured on: seeded synthetic rows that look like real activations (i.i.d.,
// per-token scale spread, fixed outlier channels, a near-constant first token), or the user's own rows
// from a .npy file. Every shape and value is checked against documented limits before any work.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace npusim {

struct Rows {
  int64_t rows = 0;
  int64_t cols = 0;
  std::vector<double> values;  // row-major
};

// Limits of the rows npusim measures (refused up front with the limit named):
// - at most 16,777,216 elements (4096 x 4096): every method keeps a few arrays of this size;
// - at most 131,072 columns: the softmax's 32-bit sum of INT16 exponentials (131,072 x 32,767 < 2^32);
// - at least 2 columns (a norm of one element is 0/0);
// - finite values of magnitude at most 1e30, and a spread (max - min) of 0 or at least 1e-30, so that every
//   quantization scale and its square stay normal doubles.
constexpr int64_t kMaxRowElements = int64_t{1} << 24;
constexpr int64_t kMaxRowColumns = int64_t{1} << 17;
constexpr double kMaxRowMagnitude = 1e30;
constexpr double kMinRowSpread = 1e-30;

// Throws npusim::Error naming the limit a shape breaks. Takes doubles so that a shape typed on the
// command line is checked before any conversion to integers.
void check_row_shape(double rows, double cols);

// Throws npusim::Error when a value is not finite or the values break the magnitude or spread limits;
// `source` names where the values came from.
void check_row_values(const Rows& rows, const std::string& source);

// Seeded rows from a distribution spec:
//   normal:MEAN,STD        i.i.d. normal
//   uniform:A,B            i.i.d. uniform
//   rowscale:STD,SIGMA     row r is normal(0, STD * exp(g_r)) with g_r ~ normal(0, SIGMA): per-token scale spread
//   outliers:STD,FRAC,MAG  normal(0, STD) with round(FRAC * cols) channels, the same in every row, scaled by MAG
// optionally followed by "+first:MEAN,STD": row 0 is normal(MEAN, STD) instead, a near-constant row when
// STD << |MEAN| (the first-token / attention-sink rows of language models).
// Throws npusim::Error for a bad spec, shape or resulting values.
Rows random_rows(int64_t rows, int64_t cols, const std::string& distribution, uint64_t seed);

// Rows from a .npy file of float32, float64 or float16 and any rank >= 1: its last axis is a row, the
// others enumerate rows (activations dumped as [batch, tokens, channels]); errors start with the file name.
Rows rows_from_npy(const std::string& path);

// One line per distribution, for --help texts.
std::string row_distribution_help();

}  // namespace npusim
