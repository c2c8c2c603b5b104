// Golden vectors for RTL validation of a LUT unit: the tables, a stimulus of input codes and the
// expected outputs computed by the reference, with a JSON manifest an RTL testbench reads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/bespoke_lut.hpp"
#include "models/nn_lut.hpp"

namespace npusim {

struct GoldenStimulus {
  bool all_codes = true;      // every one of the 65,536 codes, in order
  int64_t random_codes = 0;   // otherwise: this many seeded random codes after the corner codes
  uint64_t seed = 1;
};

// The corner codes of a table: both ends of the input grid, interval boundaries around the first
// and last intervals, the middle, and with a dual-range table its sub-interval boundaries.
std::vector<uint16_t> corner_codes(const BespokeLut& lut);

std::vector<uint16_t> make_stimulus(const BespokeLut& lut, const GoldenStimulus& stimulus);

struct GoldenFiles {
  std::string manifest_path;
  std::string stimulus_path;
  std::string expected_path;
  int64_t count = 0;
};

constexpr int kGoldenFormatVersion = 1;

// Writes <dir>/manifest.json, base.hex, dual.hex (if attached), stimulus.hex, expected.hex.
GoldenFiles write_lut_golden(const BespokeLut& lut, const GoldenStimulus& stimulus, const std::string& dir);
// The same with the stimulus given code by code (lookups at the unit's boundary of a real op).
GoldenFiles write_lut_golden_codes(const BespokeLut& lut, const std::vector<uint16_t>& codes, const std::string& label,
                                   const std::string& dir);

// NN-LUT unit: breakpoints.hex, slopes.hex, intercepts.hex (32-bit words), stimulus.hex (the fixed-point
// inputs: every breakpoint, the range's ends and beyond, then seeded random inputs over the range and a
// quarter beyond each end), expected.hex and manifest.json (with the rounding shift).
GoldenFiles write_nnlut_golden(const NnLutTable& table, int64_t random_inputs, uint64_t seed, const std::string& dir);

}  // namespace npusim
