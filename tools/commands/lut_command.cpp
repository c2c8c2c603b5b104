// npusim lut: build one Bespoke LUT, report its error, optionally export it for an RTL testbench.
#include <iostream>

#include "common/output_folder.hpp"
#include "models/lut/bespoke_lut.hpp"
#include "models/lut/lut_error.hpp"
#include "models/lut/lut_export.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/lut_report.hpp"

namespace npusim::cli {

int run_lut_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()
      ("function", po::value<std::string>()->required(), "function: exp, reciprocal, rsqrt, sqrt, gelu, gelu_tanh, silu, sigmoid, tanh, relu")
      ("range", po::value<std::string>()->required(), "calibrated input range MIN,MAX (MIN < MAX)")
      ("bits", po::value<int>()->default_value(8), "index bits, 4..13 (2^bits + 1 base entries)")
      ("dual-range", po::value<std::string>()->default_value("auto"), "dual-range table: auto (by MAPE_0 vs threshold), on, off")
      ("threshold", po::value<double>()->default_value(kDefaultDualThreshold), "MAPE_0 above which auto attaches the dual-range table")
      ("out-scale", po::value<double>(), "output scale s_out (default: max |f| over the base samples / 32767)")
      ("intervals", po::value<int>()->default_value(8), "how many of the first and of the worst intervals to list")
      ("export", po::value<std::string>(), "write $readmemh tables and a JSON manifest into this folder")
      ("name", po::value<std::string>(), "file stem for --export (default: the function's name); tables of other names in the folder stay")
      ("force", po::bool_switch(), "export into a folder holding another kind of result or files npusim did not write (npusim's files there are replaced, the others kept)");
  po::variables_map values;
  if (!parse_options("lut", "npusim lut --function F --range A,B [options]", options, args, values)) return kExitOk;

  const Function f = parse_function(values["function"].as<std::string>());
  const auto [range_min, range_max] = parse_range("range", values["range"].as<std::string>());
  LutOptions lut_options;
  lut_options.index_bits = values["bits"].as<int>();
  lut_options.dual_range = parse_dual_range_mode(values["dual-range"].as<std::string>());
  lut_options.threshold = values["threshold"].as<double>();
  if (values.count("out-scale")) lut_options.out_scale = values["out-scale"].as<double>();
  const int interval_rows = values["intervals"].as<int>();
  if (interval_rows < 0) throw UsageError("lut: --intervals must be >= 0");

  const BespokeLut lut = BespokeLut::build(f, range_min, range_max, lut_options);
  std::cout << lut_detail_report(lut, lut_options, measure_lut_error(lut), interval_rows);

  if (values.count("export")) {
    const std::string stem = values.count("name") ? values["name"].as<std::string>() : std::string(function_name(f));
    if (stem.empty() || stem.find('/') != std::string::npos) throw UsageError("lut: --name must be a plain file stem");
    // Tables of other stems stay beside this one; this stem's earlier files go, so a dual-range table it no
    // longer has does not linger.
    OutputFolder folder = OutputFolder::prepare(values["export"].as<std::string>(), "lut-export", "npusim lut --export",
                                                {values["force"].as<bool>(), true});
    folder.remove_previous({stem + ".json", stem + "_base.hex", stem + "_dual.hex"});
    const ExportedLutFiles files = export_lut(lut, values["export"].as<std::string>(), stem);
    folder.commit();
    std::cout << "\nExported for $readmemh:\n  " << files.base_path << "\n";
    if (!files.dual_path.empty()) std::cout << "  " << files.dual_path << "\n";
    std::cout << "  " << files.manifest_path << "\n";
  }
  return kExitOk;
}

}  // namespace npusim::cli
