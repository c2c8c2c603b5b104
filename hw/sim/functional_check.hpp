// Functional mode of a timed run: the table units and the DSP compute real outputs for seeded inputs,
// and each is checked against the reference (bit-exact for the LUT unit). Plain class, no SystemC.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "hw/config/hw_config.hpp"
#include "models/lut/bespoke_lut.hpp"
#include "models/nnlut/nn_lut.hpp"

namespace npusim::hw {

struct FunctionalResult {
  int op_index = -1;
  std::string unit;
  std::string what;        // table key or op kind
  int64_t checked = 0;
  int64_t mismatches = 0;  // outputs outside the tolerance (0 LSB for the LUT unit)
  double max_abs_error = 0.0;
  std::string first_mismatch;  // "code 123: expected 45, got 46"
};

class FunctionalChecker {
 public:
  using LutComputer = std::function<std::vector<int16_t>(const BespokeLut&, const std::vector<uint16_t>&)>;

  explicit FunctionalChecker(uint64_t seed, int64_t random_codes_per_table = 4096);

  // Seeded random codes plus the corners of the input grid and of the dual-range region.
  std::vector<uint16_t> stimulus(const BespokeLut& lut);

  // The unit's outputs against SPEC 2.2/2.3's lookup, code by code.
  void check_lut(int op_index, const std::string& table_key, const BespokeLut& lut, const LutComputer& unit);

  // The NN-LUT unit's outputs against the comparator semantics written out (count the breakpoints <= x,
  // then s_k x + t_k), on seeded inputs over the table's range and beyond its ends.
  using NnLutComputer = std::function<std::vector<int32_t>(const NnLutTable&, const std::vector<int32_t>&)>;
  void check_nnlut(int op_index, const std::string& what, const NnLutTable& table, const NnLutComputer& unit);

  // The DSP's FP32 kernel against the double-precision reference on seeded rows of `row_length`.
  using DspComputer = std::function<std::vector<float>(NonlinearKind, const std::vector<double>&)>;
  void check_dsp(int op_index, NonlinearKind kind, int64_t row_length, const DspComputer& unit);

  const std::vector<FunctionalResult>& results() const { return results_; }
  bool all_passed() const;

 private:
  std::mt19937_64 rng_;
  int64_t random_codes_per_table_;
  std::vector<FunctionalResult> results_;
};

}  // namespace npusim::hw
