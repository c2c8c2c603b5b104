// npusim ablation: error against index bits 4..13 with and without the dual-range table, and MAPE_0 and
// the number of dual-range tables against the threshold 0.00..0.35 over a workload's instances.
#include <algorithm>
#include <iostream>

#include "models/lut/bespoke_lut.hpp"
#include "models/lut/lut_error.hpp"
#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "report/text_table.hpp"
#include "tools/workload_options.hpp"

namespace npusim::cli {

namespace {

int ablation_bits(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("function", po::value<std::string>()->required(), "function")
      ("range", po::value<std::string>()->required(), "calibrated input range MIN,MAX")
      ("csv", po::value<std::string>(), "write the table as CSV");
  po::variables_map values;
  if (!parse_options("ablation bits", "npusim ablation bits --function F --range A,B [--csv FILE]", options, args, values)) {
    return kExitOk;
  }
  const Function f = parse_function(values["function"].as<std::string>());
  const auto [a, b] = parse_range("range", values["range"].as<std::string>());
  TextTable table({"index bits", "entries", "max abs err", "mean rel err", "MAPE_0", "+dual: max abs err", "+dual: mean rel err",
                   "+dual: MAPE_0", "+dual bytes"});
  std::string csv = "index_bits,entries,max_abs_error,mean_relative_error,mape0,dual_max_abs_error,dual_mean_relative_error,dual_mape0,dual_bytes\n";
  for (int bits = kMinIndexBits; bits <= kMaxIndexBits; ++bits) {
    LutOptions off;
    off.index_bits = bits;
    off.dual_range = DualRangeMode::off;
    const BespokeLut base = BespokeLut::build(f, a, b, off);
    const LutErrorSummary e = measure_lut_error(base);
    // MAPE_0 is n/a where no code of interval 0 counts (|f| < s_out / 2 throughout).
    const bool measured = interval_mape_measured(base, 0);
    const auto mape0 = [&](const BespokeLut& lut) { return measured ? format_error(lut.mape0()) : "n/a"; };
    std::vector<std::string> row = {std::to_string(bits), std::to_string(base.base_table().size()), format_error(e.max_abs_error),
                                    format_error(e.mean_relative_error), mape0(base)};
    std::string line = std::to_string(bits) + "," + std::to_string(base.base_table().size()) + "," +
                       format_error(e.max_abs_error) + "," + format_error(e.mean_relative_error) + "," + mape0(base);
    if (bits <= kMaxDualIndexBits) {
      LutOptions on = off;
      on.dual_range = DualRangeMode::on;
      const BespokeLut dual = BespokeLut::build(f, a, b, on);
      const LutErrorSummary d = measure_lut_error(dual);
      row.insert(row.end(), {format_error(d.max_abs_error), format_error(d.mean_relative_error), mape0(dual),
                             std::to_string(dual.table_bytes())});
      line += "," + format_error(d.max_abs_error) + "," + format_error(d.mean_relative_error) + "," + mape0(dual) + "," +
              std::to_string(dual.table_bytes());
    } else {
      row.insert(row.end(), {"-", "-", "-", "-"});
      line += ",,,,";
    }
    table.add_row(row);
    csv += line + "\n";
  }
  std::cout << "index bits of the Bespoke LUT for " << function_name(f) << " on " << format_range(a, b)
            << " (the dual-range table needs <= 12 bits)\n\n" << table.render();
  if (values.count("csv")) write_file_atomically(values["csv"].as<std::string>(), csv);
  return kExitOk;
}

int ablation_threshold(const std::vector<std::string>& args) {
  po::options_description options("options");
  add_workload_options(options, true);
  options.add_options()("csv", po::value<std::string>(), "write the table as CSV");
  po::variables_map values;
  if (!parse_options("ablation threshold", "npusim ablation threshold --workload FILE | --model NAME [--full] [--csv FILE]",
                     options, args, values)) {
    return kExitOk;
  }
  const workloads::Trace trace = load_workload(values, "ablation threshold");
  struct Instance {
    Function f;
    double a, b;
  };
  std::vector<Instance> instances;
  for (const auto& op : trace.ops) {
    for (const auto& [f, r] : op.ranges) instances.push_back({f, r.min, r.max});
  }
  if (instances.empty()) throw Error("the workload has no non-linear instances");
  // Each instance's MAPE_0 with and without its dual-range table does not depend on the threshold.
  // Instances where no code of interval 0 counts have no MAPE_0: they stay out of the mean and maximum.
  std::vector<double> base_mape0, dual_mape0;
  std::vector<bool> measured;
  for (const auto& i : instances) {
    LutOptions on;
    on.dual_range = DualRangeMode::on;
    const BespokeLut lut = BespokeLut::build(i.f, i.a, i.b, on);
    base_mape0.push_back(lut.mape0_base());
    dual_mape0.push_back(lut.mape0());
    measured.push_back(interval_mape_measured(lut, 0));
  }
  TextTable table({"threshold", "dual tables", "mean MAPE_0", "max MAPE_0", "table bytes"});
  std::string csv = "threshold,dual_tables,mean_mape0,max_mape0,table_bytes\n";
  for (int step = 0; step <= 7; ++step) {
    const double threshold = 0.05 * step;
    int64_t duals = 0, counted = 0;
    double sum = 0, worst = 0;
    for (size_t k = 0; k < instances.size(); ++k) {
      const bool attach = base_mape0[k] > threshold;
      duals += attach ? 1 : 0;
      if (!measured[k]) continue;
      const double m = attach ? dual_mape0[k] : base_mape0[k];
      sum += m;
      worst = std::max(worst, m);
      ++counted;
    }
    const int64_t bytes = 514 * static_cast<int64_t>(instances.size()) + 34 * duals;
    const std::string mean_text = counted ? format_error(sum / static_cast<double>(counted)) : "n/a";
    const std::string max_text = counted ? format_error(worst) : "n/a";
    table.add_row({format_number(threshold, 2), std::to_string(duals), mean_text, max_text, std::to_string(bytes)});
    csv += format_number(threshold, 2) + "," + std::to_string(duals) + "," + mean_text + "," + max_text + "," + std::to_string(bytes) + "\n";
  }
  std::cout << "dual-range threshold over the " << instances.size() << " LUT instances of " << trace.model << " (ranges: "
            << trace.calibration << ")\n\n" << table.render();
  const auto unmeasured = std::count(measured.begin(), measured.end(), false);
  if (unmeasured > 0) {
    std::cout << "  " << unmeasured << " instance" << (unmeasured > 1 ? "s have" : " has")
              << " no MAPE_0 (no code of interval 0 has |f| >= s_out / 2): left out of mean and max\n";
  }
  if (values.count("csv")) write_file_atomically(values["csv"].as<std::string>(), csv);
  return kExitOk;
}

}  // namespace

int run_ablation_command(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "bits") return ablation_bits({args.begin() + 1, args.end()});
  if (!args.empty() && args[0] == "threshold") return ablation_threshold({args.begin() + 1, args.end()});
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << "usage: npusim ablation bits --function F --range A,B [--csv FILE]\n"
                 "       npusim ablation threshold --workload FILE | --model NAME [--full] [--csv FILE]\n";
    return kExitOk;
  }
  throw UsageError("ablation: give 'bits' or 'threshold' (see 'npusim ablation --help')");
}

}  // namespace npusim::cli
