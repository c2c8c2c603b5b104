#include "hw/sim/functional_check.hpp"

#include <algorithm>
#include <climits>
#include <cmath>

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

const NnLutTable& FunctionalChecker::nnlut_table(Function f) {
  auto it = nnlut_tables_.find(f);
  if (it == nnlut_tables_.end()) it = nnlut_tables_.emplace(f, build_nnlut(f)).first;
  return it->second;
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

namespace {

// The DSP's kernels in FP32, and the same in double as the reference.
template <class Real>
std::vector<Real> dsp_kernel(NonlinearKind kind, const std::vector<double>& row) {
  std::vector<Real> x(row.begin(), row.end()), y(row.size());
  switch (kind) {
    case NonlinearKind::gelu:
      for (size_t i = 0; i < x.size(); ++i) y[i] = Real(0.5) * x[i] * (Real(1) + std::erf(x[i] / std::sqrt(Real(2))));
      break;
    case NonlinearKind::silu:
      for (size_t i = 0; i < x.size(); ++i) y[i] = x[i] / (Real(1) + std::exp(-x[i]));
      break;
    case NonlinearKind::softmax: {
      const Real m = *std::max_element(x.begin(), x.end());
      Real sum = 0;
      for (size_t i = 0; i < x.size(); ++i) sum += (y[i] = std::exp(x[i] - m));
      for (auto& v : y) v /= sum;
      break;
    }
    case NonlinearKind::layernorm:
    case NonlinearKind::rmsnorm: {
      Real mean = 0;
      if (kind == NonlinearKind::layernorm) {
        for (const Real v : x) mean += v;
        mean /= static_cast<Real>(x.size());
      }
      Real var = 0;
      for (const Real v : x) var += (v - mean) * (v - mean);
      var /= static_cast<Real>(x.size());
      const Real r = Real(1) / std::sqrt(var + Real(1e-5));
      for (size_t i = 0; i < x.size(); ++i) y[i] = (x[i] - mean) * r;
      break;
    }
  }
  return y;
}

}  // namespace

void FunctionalChecker::check_dsp(int op_index, NonlinearKind kind, int64_t row_length) {
  std::normal_distribution<double> normal(0.0, 3.0);
  std::vector<double> row(static_cast<size_t>(std::clamp<int64_t>(row_length, 1, 65536)));
  for (auto& v : row) v = normal(rng_);
  const auto fp32 = dsp_kernel<float>(kind, row);
  const auto reference = dsp_kernel<double>(kind, row);
  FunctionalResult r;
  r.op_index = op_index;
  r.unit = "dsp";
  r.what = std::string(nonlinear_kind_name(kind));
  r.checked = static_cast<int64_t>(row.size());
  for (size_t i = 0; i < row.size(); ++i) {
    const double error = std::fabs(static_cast<double>(fp32[i]) - reference[i]);
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
