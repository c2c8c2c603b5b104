// The Bespoke LUT (SPEC 2.2) with its dual-range sub-table (SPEC 2.3): one table per instance of a
// non-linear function, built from that instance's calibrated input range, no training.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/core/golden_functions.hpp"
#include "models/lut/lut_interpolation.hpp"

namespace npusim {

enum class DualRangeMode { automatic, on, off };
DualRangeMode parse_dual_range_mode(std::string_view text);  // "auto", "on", "off"
std::string_view dual_range_mode_name(DualRangeMode mode);

constexpr int kMinIndexBits = 4;
constexpr int kMaxIndexBits = 13;
constexpr int kMaxDualIndexBits = 12;      // the 16 sub-intervals need 2^(12 - N) >= 1 codes each
constexpr int kDualTableEntries = 17;
constexpr double kDefaultDualThreshold = 0.10;

struct LutOptions {
  int index_bits = 8;
  std::optional<double> out_scale;  // s_out; by default max|f| over the base samples / 32767
  DualRangeMode dual_range = DualRangeMode::automatic;
  double threshold = kDefaultDualThreshold;  // MAPE_0 above this attaches the dual-range table (auto)
};

class BespokeLut {
 public:
  // Builds the tables for f over [range_min, range_max]. Throws npusim::Error for min >= max, NaN or
  // infinite bounds, index bits outside 4..13, a bad out_scale or threshold, a range where f is
  // undefined (sqrt/rsqrt below 0) or a pole strictly inside the range.
  static BespokeLut build(Function f, double range_min, double range_max, const LutOptions& options = {});

  // Reassembles a LUT from stored tables (a table set or an exported manifest); checks the shapes.
  static BespokeLut from_tables(Function f, double range_min, double range_max, int index_bits, double out_scale,
                                std::vector<int16_t> base, std::vector<int16_t> dual);

  Function function() const { return function_; }
  double range_min() const { return range_min_; }
  double range_max() const { return range_max_; }
  double input_step() const { return input_step_; }  // D = (b - a) / 65536
  double out_scale() const { return out_scale_; }    // s_out
  int index_bits() const { return index_bits_; }
  int intervals() const { return 1 << index_bits_; }
  int codes_per_interval() const { return 1 << (16 - index_bits_); }

  const std::vector<int16_t>& base_table() const { return base_; }
  const std::vector<int16_t>& dual_table() const { return dual_; }
  bool has_dual_range() const { return !dual_.empty(); }
  size_t table_bytes() const { return 2 * (base_.size() + dual_.size()); }

  // x(u) = a + u * D, and the code a real input maps to: clamp(rha((x - a) / D), 0, 65535).
  double input_of(uint16_t code) const { return range_min_ + code * input_step_; }
  uint16_t code_of(double x) const;
  double output_value(int16_t y) const { return out_scale_ * y; }

  int16_t lookup(uint16_t code) const { return interpolate_one(packed_, code); }
  void lookup_batch(const uint16_t* codes, int16_t* out, size_t n) const { interpolate_batch(packed_, codes, out, n); }
  const PackedLutTables& packed() const { return packed_; }

  // MAPE of interval 0 with the base table alone, and as built (equal when no dual table is attached).
  double mape0_base() const { return mape0_base_; }
  double mape0() const { return mape0_; }

  // This LUT without its dual-range table (for before/after comparisons).
  BespokeLut without_dual_range() const;

  bool operator==(const BespokeLut& other) const;

 private:
  BespokeLut() = default;
  void finish();  // packs the tables and records MAPE_0

  Function function_ = Function::exp;
  double range_min_ = 0.0;
  double range_max_ = 1.0;
  double input_step_ = 1.0 / 65536;
  double out_scale_ = 1.0;
  int index_bits_ = 8;
  std::vector<int16_t> base_;
  std::vector<int16_t> dual_;
  PackedLutTables packed_;
  double mape0_base_ = 0.0;
  double mape0_ = 0.0;
};

// Sample point of entry `entry` for a grid of `codes_per_step` codes: a + (codes_per_step * entry) * D,
// in exactly that order of operations (SPEC 2.2), so independent implementations round alike.
double lut_sample_point(double range_min, double input_step, int64_t codes_per_step, int64_t entry);

// Q(v) = clamp(rha(v / s_out), -32768, 32767)
int16_t quantize_output(double v, double out_scale);

}  // namespace npusim
