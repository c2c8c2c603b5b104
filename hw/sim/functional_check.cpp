#include "hw/sim/functional_check.hpp"

#include <algorithm>
#include <climits>
#include <cmath>

#include "hw/sim/units/dsp_kernels.hpp"

namespace npusim::hw {

FunctionalChecker::FunctionalChecker(uint64_t seed, int64_t random_codes_per_table)
    : rng_(seed), random_codes_per_table_(random_codes_per_table) {}

std::vector<uint16_t> FunctionalChecker::stimulus(const BespokeLut& lut) {
  std::vector<uint16_t> codes;
  const int width = lut.codes_per_interval();
  for (const int corner : {0, 1, width - 1, width, width + 1, 32767, 32768, 65534, 65535}) {
    codes.push_back(static_cast<uint16_t>(corner));
  }
  if (lut.has_dual_range()) {
    const int sub = std::max(1, width / 16);
    for (int k = 0; k < 16; ++k) {
      codes.push_back(static_cast<uint16_t>(k * sub));
      codes.push_back(static_cast<uint16_t>(k * sub + sub - 1));
    }
  }
  std::uniform_int_distribution<int> any(0, 65535);
  for (int64_t i = 0; i < random_codes_per_table_; ++i) codes.push_back(static_cast<uint16_t>(any(rng_)));
  return codes;
}

void FunctionalChecker::check_lut(int op_index, const std::string& table_key, const BespokeLut& lut,
                                  const LutComputer& unit) {
  const std::vector<uint16_t> codes = stimulus(lut);
  const std::vector<int16_t> actual = unit(lut, codes);
  FunctionalResult r;
  r.op_index = op_index;
  r.unit = "lut_unit";
  r.what = table_key;
  r.checked = static_cast<int64_t>(codes.size());
  for (size_t i = 0; i < codes.size(); ++i) {
    const int16_t expected = interpolate_one(lut.packed(), codes[i]);
    const int16_t got = i < actual.size() ? actual[i] : 0;
    if (got != expected) {
      if (r.mismatches == 0) {
        r.first_mismatch = "code " + std::to_string(codes[i]) + ": expected " + std::to_string(expected) + ", got " +
                           std::to_string(got);
      }
      ++r.mismatches;
    }
    r.max_abs_error = std::max(r.max_abs_error, std::fabs(lut.output_value(got) - lut.output_value(expected)));
  }
  results_.push_back(r);
}

void FunctionalChecker::check_nnlut(int op_index, const std::string& what, const NnLutTable& table, const NnLutComputer& unit) {
  std::uniform_real_distribution<double> any(table.range_min - 0.25 * (table.range_max - table.range_min),
                                             table.range_max + 0.25 * (table.range_max - table.range_min));
  std::vector<int32_t> inputs(table.breakpoints_q.begin(), table.breakpoints_q.end());  // on every breakpoint
  for (int64_t i = 0; i < random_codes_per_table_; ++i) inputs.push_back(table.quantize_input(any(rng_)));
  const std::vector<int32_t> actual = unit(table, inputs);
  FunctionalResult r;
  r.op_index = op_index;
  r.unit = "nnlut_unit";
  r.what = what;
  r.checked = static_cast<int64_t>(inputs.size());
  const int shift = table.x_frac_bits + table.slope_frac_bits - table.out_frac_bits;
  for (size_t i = 0; i < inputs.size(); ++i) {
    size_t k = 0;
    for (const int32_t bp : table.breakpoints_q) k += bp <= inputs[i] ? 1 : 0;  // the comparators
    const int64_t product = static_cast<int64_t>(table.slopes_q[k]) * inputs[i];
    const int64_t rounded = shift > 0 ? (product + (int64_t{1} << (shift - 1))) >> shift : product;
    const int64_t expected = std::clamp<int64_t>(rounded + table.intercepts_q[k], INT32_MIN, INT32_MAX);
    const int64_t got = i < actual.size() ? actual[i] : 0;
    if (got != expected) {
      if (r.mismatches == 0) {
        r.first_mismatch = "input " + std::to_string(inputs[i]) + ": expected " + std::to_string(expected) + ", got " + std::to_string(got);
      }
      ++r.mismatches;
    }
    r.max_abs_error = std::max(r.max_abs_error, std::ldexp(std::fabs(static_cast<double>(got - expected)), -table.out_frac_bits));
  }
  results_.push_back(r);
}

void FunctionalChecker::check_dsp(int op_index, NonlinearKind kind, int64_t row_length, const DspComputer& unit) {
  std::normal_distribution<double> normal(0.0, 3.0);
  std::vector<double> row(static_cast<size_t>(std::clamp<int64_t>(row_length, 1, 65536)));
  for (auto& v : row) v = normal(rng_);
  const std::vector<float> fp32 = unit(kind, row);
  const auto reference = dsp_kernel<double>(kind, row);
  FunctionalResult r;
  r.op_index = op_index;
  r.unit = "dsp";
  r.what = std::string(nonlinear_kind_name(kind));
  r.checked = static_cast<int64_t>(row.size());
  for (size_t i = 0; i < row.size(); ++i) {
    const double got = i < fp32.size() ? static_cast<double>(fp32[i]) : 0.0;
    const double error = std::fabs(got - reference[i]);
    // FP32 holds 24 significant bits: allow a few ulps of the larger magnitude.
    const double tolerance = 1e-5 * std::max(1.0, std::fabs(reference[i]));
    if (error > tolerance) {
      if (r.mismatches == 0) r.first_mismatch = "element " + std::to_string(i) + ": error " + std::to_string(error);
      ++r.mismatches;
    }
    r.max_abs_error = std::max(r.max_abs_error, error);
  }
  results_.push_back(r);
}

bool FunctionalChecker::all_passed() const {
  for (const auto& r : results_) {
    if (r.mismatches != 0) return false;
  }
  return true;
}

}  // namespace npusim::hw
