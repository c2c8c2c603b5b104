// npusim lut-block: the Bespoke LUTs of one Transformer block's non-linear functions over typical
// calibrated ranges.
#include <iostream>

#include "models/lut/bespoke_lut.hpp"
#include "models/lut/lut_error.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "report/text_table.hpp"

namespace npusim::cli {

namespace {

struct TypicalInstance {
  const char* role;
  Function function;
  double range_min;
  double range_max;
};

// Ranges an INT8 ViT/LLM block typically calibrates to (illustrative, not from a real PTQ run).
const TypicalInstance kTypicalInstances[] = {
    {"softmax exp (x - max)", Function::exp, -16.0, 0.0},
    {"softmax 1/sum (197 tokens)", Function::reciprocal, 1.0, 256.0},
    {"LayerNorm rsqrt(var + eps)", Function::rsqrt, 0.05, 16.0},
    {"MLP GELU", Function::gelu, -10.0, 10.0},
    {"MLP SiLU (LLM)", Function::silu, -12.0, 12.0},
    {"RMSNorm rsqrt near 0 (LLM)", Function::rsqrt, 1e-4, 4.0},
    {"softmax 1/sum near 0 (LLM)", Function::reciprocal, 0.01, 8.0},
};

}  // namespace

int run_lut_block_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()("threshold", po::value<double>()->default_value(kDefaultDualThreshold),
                        "MAPE_0 above which a dual-range table is attached");
  po::variables_map values;
  if (!parse_options("lut-block", "npusim lut-block [--threshold T]", options, args, values)) return kExitOk;
  LutOptions lut_options;
  lut_options.threshold = values["threshold"].as<double>();

  TextTable table({"instance", "function", "range", "s_out", "dual", "MAPE_0 base", "MAPE_0", "max abs err",
                   "mean rel err", "bytes"});
  size_t total_bytes = 0;
  for (const auto& instance : kTypicalInstances) {
    const BespokeLut lut = BespokeLut::build(instance.function, instance.range_min, instance.range_max, lut_options);
    const LutErrorSummary error = measure_lut_error(lut);
    const bool measured = interval_mape_measured(lut, 0);  // n/a where no code of interval 0 counts
    total_bytes += lut.table_bytes();
    table.add_row({instance.role, std::string(function_name(instance.function)),
                   format_range(instance.range_min, instance.range_max), format_number(lut.out_scale(), 4),
                   lut.has_dual_range() ? "yes" : "no", measured ? format_error(lut.mape0_base()) : "n/a",
                   measured ? format_error(lut.mape0()) : "n/a",
                   format_error(error.max_abs_error), format_error(error.mean_relative_error),
                   std::to_string(lut.table_bytes())});
  }
  std::cout << "Bespoke LUTs for one Transformer block (8-bit index, 257 entries, dual-range threshold "
            << format_number(lut_options.threshold) << ")\n\n"
            << table.render() << "\n  total table memory: " << total_bytes << " bytes\n\n"
            << "Ranges are typical values, not a calibration. 'npusim lut --function F --range A,B' shows one\n"
               "table in detail and exports it; 'npusim --help' lists the subcommands.\n";
  return kExitOk;
}

}  // namespace npusim::cli
