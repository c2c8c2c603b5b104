#include "tools/lut_report.hpp"

#include <algorithm>
#include <numeric>
#include <sstream>

#include "report/text_table.hpp"

namespace npusim::cli {

namespace {

std::string dual_decision(const BespokeLut& lut, const LutOptions& options) {
  const std::string mape0 = "MAPE_0 " + format_number(lut.mape0_base(), 4);
  switch (options.dual_range) {
    case DualRangeMode::on: return "attached (--dual-range on)";
    case DualRangeMode::off: return "not attached (--dual-range off)";
    case DualRangeMode::automatic:
      if (lut.index_bits() > kMaxDualIndexBits) return "not attached (needs index bits <= 12)";
      if (!interval_mape_measured(lut, 0)) return "not attached (MAPE_0 n/a: no code of interval 0 counts)";
      return lut.has_dual_range() ? "attached (" + mape0 + " > threshold " + format_number(options.threshold) + ")"
                                  : "not attached (" + mape0 + " <= threshold " + format_number(options.threshold) + ")";
  }
  return "";
}

void add_interval_row(TextTable& table, const IntervalError& e) {
  table.add_row({std::to_string(e.interval), format_number(e.x_start, 6), format_number(e.x_end, 6),
                 e.counted > 0 ? format_error(e.mape) : "n/a", format_error(e.max_abs_error), std::to_string(e.counted),
                 std::to_string(e.skipped)});
}

}  // namespace

std::string lut_detail_report(const BespokeLut& lut, const LutOptions& options, const LutErrorSummary& error,
                              int interval_rows) {
  std::ostringstream out;
  out << "Bespoke LUT: " << function_name(lut.function()) << " on " << format_range(lut.range_min(), lut.range_max())
      << "\n";
  out << "  index bits          " << lut.index_bits() << " (" << lut.base_table().size() << " base entries"
      << (lut.has_dual_range() ? " + " + std::to_string(lut.dual_table().size()) + " dual-range entries" : "")
      << ")\n";
  out << "  input step D        " << format_number(lut.input_step(), 8) << "\n";
  out << "  output scale s_out  " << format_number(lut.out_scale(), 8)
      << (options.out_scale ? " (given)" : " (max |f| over the base samples / 32767)") << "\n";
  out << "  dual-range table    " << dual_decision(lut, options) << "\n";
  const bool measured = interval_mape_measured(lut, 0);
  out << "  MAPE_0              " << (measured ? format_error(lut.mape0_base()) : "n/a (no code of interval 0 has |f| >= s_out / 2)");
  if (measured && lut.has_dual_range()) {
    out << " base only -> " << format_error(lut.mape0()) << " with the dual-range table";
    if (lut.mape0() > 0.0) out << " (" << format_number(lut.mape0_base() / lut.mape0(), 3) << "x lower)";
  }
  out << "\n";
  out << "  table bytes         " << lut.table_bytes() << "\n";
  out << "  max abs error       " << format_error(error.max_abs_error) << "\n";
  out << "  mean abs error      " << format_error(error.mean_abs_error) << "\n";
  out << "  mean rel error      " << format_error(error.mean_relative_error) << " (over " << error.counted
      << " codes; " << error.skipped << " skipped: |f| < s_out/2 or f not finite)\n";

  const int shown = std::min<int>(interval_rows, static_cast<int>(error.intervals.size()));
  TextTable first({"interval", "x from", "x to", "MAPE", "max abs err", "counted", "skipped"});
  for (int j = 0; j < shown; ++j) add_interval_row(first, error.intervals[static_cast<size_t>(j)]);
  out << "\nFirst " << shown << " intervals:\n" << first.render();

  std::vector<int> order(error.intervals.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
    return error.intervals[static_cast<size_t>(x)].mape > error.intervals[static_cast<size_t>(y)].mape;
  });
  TextTable worst({"interval", "x from", "x to", "MAPE", "max abs err", "counted", "skipped"});
  for (int j = 0; j < shown; ++j) add_interval_row(worst, error.intervals[static_cast<size_t>(order[static_cast<size_t>(j)])]);
  out << "\nWorst " << shown << " intervals by MAPE:\n" << worst.render();
  return out.str();
}

}  // namespace npusim::cli
