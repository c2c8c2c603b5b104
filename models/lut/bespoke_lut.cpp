#include "models/lut/bespoke_lut.hpp"

#include <cmath>
#include <limits>
#include <sstream>

#include "common/error.hpp"
#include "common/did_you_mean.hpp"
#include "models/lut/lut_error.hpp"
#include "models/core/quantization.hpp"

namespace npusim {

namespace {

constexpr int64_t kCodes = 65536;

std::string format_number(double v) {
  std::ostringstream out;
  out.precision(17);
  out << v;
  return out.str();
}

std::string range_text(double a, double b) { return "[" + format_number(a) + ", " + format_number(b) + "]"; }

void check_range(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) throw Error("range bounds must be numbers, got " + range_text(a, b));
  if (!std::isfinite(a) || !std::isfinite(b)) throw Error("range bounds must be finite, got " + range_text(a, b));
  if (!(a < b)) throw Error("range needs min < max, got " + range_text(a, b));
  if (!((b - a) / kCodes > 0.0) || !std::isfinite(b - a)) {
    throw Error("range " + range_text(a, b) + " is too narrow or too wide for 65,536 input codes");
  }
}

void check_index_bits(int bits) {
  if (bits < kMinIndexBits || bits > kMaxIndexBits) {
    throw Error("index bits must be in " + std::to_string(kMinIndexBits) + ".." + std::to_string(kMaxIndexBits) +
                ", got " + std::to_string(bits));
  }
}

void check_out_scale(double s) {
  if (!std::isfinite(s) || !(s > 0.0)) throw Error("output scale must be a positive finite number, got " + format_number(s));
}

// f at one sample point, with SPEC 2.2's rule for poles at the ends of the range.
double sample_value(Function f, double a, double b, double step, int64_t codes_per_step, int64_t entry) {
  const double x = lut_sample_point(a, step, codes_per_step, entry);
  double v = evaluate(f, x);
  if (std::isnan(v)) {
    throw Error(std::string(function_name(f)) + " is undefined at x = " + format_number(x) + " inside its range " +
                range_text(a, b));
  }
  if (std::isinf(v)) {
    if (entry == 0) {
      v = evaluate(f, x + step / 2);
    } else if (codes_per_step * entry == kCodes) {
      v = evaluate(f, x - step / 2);
    } else {
      throw Error(std::string(function_name(f)) + " has a pole at x = " + format_number(x) + " strictly inside its range " +
                  range_text(a, b) + "; split the range at the pole");
    }
  }
  return v;
}

std::vector<double> sample_values(Function f, double a, double b, double step, int64_t codes_per_step, int entries) {
  std::vector<double> values(static_cast<size_t>(entries));
  for (int e = 0; e < entries; ++e) values[static_cast<size_t>(e)] = sample_value(f, a, b, step, codes_per_step, e);
  return values;
}

std::vector<int16_t> quantize_all(const std::vector<double>& values, double out_scale) {
  std::vector<int16_t> q(values.size());
  for (size_t i = 0; i < values.size(); ++i) q[i] = quantize_output(values[i], out_scale);
  return q;
}

}  // namespace

DualRangeMode parse_dual_range_mode(std::string_view text) {
  if (text == "auto") return DualRangeMode::automatic;
  if (text == "on") return DualRangeMode::on;
  if (text == "off") return DualRangeMode::off;
  throw Error("dual-range mode must be auto, on or off, got '" + std::string(text) + "'" +
              did_you_mean(text, {"auto", "on", "off"}));
}

std::string_view dual_range_mode_name(DualRangeMode mode) {
  switch (mode) {
    case DualRangeMode::automatic: return "auto";
    case DualRangeMode::on: return "on";
    case DualRangeMode::off: return "off";
  }
  return "?";
}

double lut_sample_point(double range_min, double input_step, int64_t codes_per_step, int64_t entry) {
  return range_min + static_cast<double>(codes_per_step * entry) * input_step;
}

int16_t quantize_output(double v, double out_scale) {
  return static_cast<int16_t>(clamp_int(round_half_away(v / out_scale), -32768, 32767));
}

BespokeLut BespokeLut::build(Function f, double range_min, double range_max, const LutOptions& options) {
  check_range(range_min, range_max);
  check_index_bits(options.index_bits);
  if (options.out_scale) check_out_scale(*options.out_scale);
  if (!std::isfinite(options.threshold) || options.threshold < 0.0) {
    throw Error("dual-range threshold must be a finite number >= 0, got " + format_number(options.threshold));
  }
  if (options.dual_range == DualRangeMode::on && options.index_bits > kMaxDualIndexBits) {
    throw Error("a dual-range table needs index bits <= " + std::to_string(kMaxDualIndexBits) + ", got " +
                std::to_string(options.index_bits));
  }

  BespokeLut lut;
  lut.function_ = f;
  lut.range_min_ = range_min;
  lut.range_max_ = range_max;
  lut.input_step_ = (range_max - range_min) / kCodes;
  lut.index_bits_ = options.index_bits;

  const std::vector<double> base_values =
      sample_values(f, range_min, range_max, lut.input_step_, lut.codes_per_interval(), lut.intervals() + 1);
  if (options.out_scale) {
    lut.out_scale_ = *options.out_scale;
  } else {
    double largest = 0.0;
    for (const double v : base_values) largest = std::max(largest, std::fabs(v));
    // A function that is zero on every sample (ReLU below 0) gets the scale of max|f| = 1.
    lut.out_scale_ = (largest > 0.0 ? largest : 1.0) / 32767.0;
  }
  lut.base_ = quantize_all(base_values, lut.out_scale_);
  lut.finish();

  const bool attach = options.dual_range == DualRangeMode::on ||
                      (options.dual_range == DualRangeMode::automatic && options.index_bits <= kMaxDualIndexBits &&
                       lut.mape0_base_ > options.threshold);
  if (attach) {
    const int64_t codes_per_sub_interval = int64_t{1} << (kMaxDualIndexBits - options.index_bits);
    lut.dual_ = quantize_all(
        sample_values(f, range_min, range_max, lut.input_step_, codes_per_sub_interval, kDualTableEntries),
        lut.out_scale_);
    lut.finish();
  }
  return lut;
}

BespokeLut BespokeLut::from_tables(Function f, double range_min, double range_max, int index_bits, double out_scale,
                                   std::vector<int16_t> base, std::vector<int16_t> dual) {
  check_range(range_min, range_max);
  check_index_bits(index_bits);
  check_out_scale(out_scale);
  const size_t base_entries = (size_t{1} << index_bits) + 1;
  if (base.size() != base_entries) {
    throw Error("a " + std::to_string(index_bits) + "-bit base table has " + std::to_string(base_entries) +
                " entries, got " + std::to_string(base.size()));
  }
  if (!dual.empty() && dual.size() != static_cast<size_t>(kDualTableEntries)) {
    throw Error("a dual-range table has 17 entries, got " + std::to_string(dual.size()));
  }
  if (!dual.empty() && index_bits > kMaxDualIndexBits) {
    throw Error("a dual-range table needs index bits <= 12, got " + std::to_string(index_bits));
  }
  BespokeLut lut;
  lut.function_ = f;
  lut.range_min_ = range_min;
  lut.range_max_ = range_max;
  lut.input_step_ = (range_max - range_min) / kCodes;
  lut.index_bits_ = index_bits;
  lut.out_scale_ = out_scale;
  lut.base_ = std::move(base);
  lut.dual_ = std::move(dual);
  lut.finish();
  return lut;
}

void BespokeLut::finish() {
  packed_ = PackedLutTables::pack(base_, {}, index_bits_);
  mape0_base_ = interval_mape(*this, 0);
  mape0_ = mape0_base_;
  if (!dual_.empty()) {
    packed_ = PackedLutTables::pack(base_, dual_, index_bits_);
    mape0_ = interval_mape(*this, 0);
  }
}

BespokeLut BespokeLut::without_dual_range() const {
  BespokeLut copy = *this;
  copy.dual_.clear();
  copy.finish();
  return copy;
}

uint16_t BespokeLut::code_of(double x) const {
  if (std::isnan(x)) throw Error("cannot encode NaN as a LUT input code");
  return static_cast<uint16_t>(clamp_int(round_half_away((x - range_min_) / input_step_), 0, kCodes - 1));
}

bool BespokeLut::operator==(const BespokeLut& other) const {
  return function_ == other.function_ && range_min_ == other.range_min_ && range_max_ == other.range_max_ &&
         index_bits_ == other.index_bits_ && out_scale_ == other.out_scale_ && base_ == other.base_ &&
         dual_ == other.dual_;
}

}  // namespace npusim
