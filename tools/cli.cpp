#include "tools/cli.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <systemc>

#include "common/error.hpp"
#include "common/did_you_mean.hpp"
#include "run/child_process.hpp"
#include "tools/commands.hpp"

namespace npusim::cli {

// A sweep point's worker returns what run_guarded returns; the run layer reads it with its own names.
static_assert(kExitOk == run::kChildOk && kExitError == run::kChildFailed, "exit codes of npusim and of its children differ");

const std::vector<Subcommand>& subcommands() {
  static const std::vector<Subcommand> table = {
      {"run", "the timed NPU model on a workload; engines side by side", run_run_command},
      {"compare", "two run folders side by side: differences and ratios of every figure", run_compare_command},
      {"bench-sim", "wall time and peak memory of timing-only simulations", run_bench_sim_command},
      {"sweep", "run a sweep spec's design points in parallel, resumable and shardable", run_sweep_command},
      {"sweep-merge", "combine sweep shards' outputs into one summary", run_sweep_merge_command},
      {"lut", "build, inspect and export one Bespoke LUT (SPEC 2.2-2.3)", run_lut_command},
      {"accuracy", "every method's error on a function or a composite op", run_accuracy_command},
      {"ablation", "error against index bits; dual-range tables against the threshold", run_ablation_command},
      {"lut-block", "Bespoke LUTs of a Transformer block's functions over typical ranges", run_lut_block_command},
      {"trace", "generate a zoo model's workload trace", run_trace_command},
      {"trace-stats", "MACs, non-linear elements and bytes of a workload", run_trace_stats_command},
      {"lut-inventory", "per-layer tables of a model and their memory", run_lut_inventory_command},
      {"golden", "golden vectors of a LUT instance for an RTL testbench", run_golden_command},
      {"check-rtl", "compare an RTL output dump with golden expected outputs", run_check_rtl_command},
      {"area", "Yosys area proxy of the LUT units' RTL", run_area_command},
      {"lutnn", "LUT-NN linear layers: error, .npy export, cost estimate (SPEC 2.7)", run_lutnn_command},
      {"import", "an ONNX model as a workload trace, with its op mapping", run_import_command},
      {"infer", "run an ONNX model in FP32 and with each method's non-linear ops", run_infer_command},
      {"calibrate", "per-layer ranges of an ONNX model's LUT inputs over a folder of inputs", run_calibrate_command},
  };
  return table;
}

namespace {

bool looks_like_negative_number(const std::string& token) {
  return token.size() > 1 && token[0] == '-' && (std::isdigit(static_cast<unsigned char>(token[1])) || token[1] == '.');
}

// Boost reads "-8,8" as an option; glue such values to the option before them ("--range=-8,8").
std::vector<std::string> join_negative_values(const std::vector<std::string>& args) {
  std::vector<std::string> joined;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) == 0 && a.find('=') == std::string::npos && i + 1 < args.size() &&
        looks_like_negative_number(args[i + 1])) {
      joined.push_back(a + "=" + args[i + 1]);
      ++i;
    } else {
      joined.push_back(a);
    }
  }
  return joined;
}

// The shortest decimal text that reads back as `v`: 0.1, not 0.10000000000000001.
std::string shortest_text(double v) {
  char buffer[64];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
    if (std::strtod(buffer, nullptr) == v) break;
  }
  return buffer;
}

// Boost renders a real default with 17 significant digits; give each one the text a user would type.
void show_real_defaults_as_typed(const po::options_description& options) {
  for (const auto& option : options.options()) {
    const auto* real = dynamic_cast<const po::typed_value<double>*>(option->semantic().get());
    boost::any value;
    if (real == nullptr || !real->apply_default(value)) continue;
    const double v = boost::any_cast<double>(value);
    // The semantic was made non-const by po::value<double>(); only its default's text changes.
    const_cast<po::typed_value<double>*>(real)->default_value(v, shortest_text(v));
  }
}

double parse_number(const std::string& option, const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size()) {
    throw UsageError("--" + option + ": '" + text + "' is not a number");
  }
  return v;
}

}  // namespace

bool parse_options(const std::string& command, const std::string& usage, const po::options_description& options,
                   const std::vector<std::string>& args, po::variables_map& values,
                   const po::positional_options_description* positional) {
  po::options_description all = options;
  all.add_options()("help,h", "print this help");
  try {
    po::positional_options_description none;
    po::store(po::command_line_parser(join_negative_values(args))
                  .options(all)
                  .positional(positional != nullptr ? *positional : none)
                  .style(po::command_line_style::default_style & ~po::command_line_style::allow_guessing)
                  .run(),
              values);
    if (values.count("help")) {
      show_real_defaults_as_typed(all);
      std::cout << "usage: " << usage << "\n\n" << all;
      return false;
    }
    po::notify(values);
  } catch (const po::error& e) {
    throw UsageError(command + ": " + e.what() + " (see 'npusim " + command + " --help')");
  }
  return true;
}

std::pair<double, double> parse_range(const std::string& option, const std::string& text) {
  const size_t comma = text.find(',');
  if (comma == std::string::npos || text.find(',', comma + 1) != std::string::npos) {
    throw UsageError("--" + option + " takes MIN,MAX (for example -8,8), got '" + text + "'");
  }
  return {parse_number(option, text.substr(0, comma)), parse_number(option, text.substr(comma + 1))};
}

int run_guarded(const std::function<int()>& body) {
  try {
    return body();
  } catch (const UsageError& e) {
    std::cerr << "npusim: " << e.what() << "\n";
    return kExitUsage;
  } catch (const Error& e) {
    std::cerr << "npusim: error: " << e.what() << "\n";
    return kExitError;
  } catch (const std::exception& e) {
    std::cerr << "npusim: internal error: " << e.what() << "\n";
    return kExitError;
  }
}

namespace {

std::string version_text() {
  return std::string("npusim ") + NPUSIM_VERSION + " (SystemC " + sc_core::sc_release() + ")\n";
}

void print_overview() {
  std::cout << "npusim - transaction-level simulator of an edge NPU: non-linear operations on a DSP or in\n"
               "a lookup-table unit inside the MAC array, with a bit-exact functional reference.\n\n"
               "usage: npusim [SUBCOMMAND] [OPTIONS]\n\n"
               "With no subcommand npusim runs its default job: one ViT-Base block on the paper NPU at 3 GB/s,\n"
               "non-linear ops on the DSP and on the Bespoke LUT side by side (= npusim run --model vit_base\n"
               "--engines dsp,lut).\n\n"
               "subcommands:\n";
  for (const auto& s : subcommands()) {
    std::cout << "  " << s.name << std::string(s.name.size() < 16 ? 16 - s.name.size() : 1, ' ') << s.summary << "\n";
  }
  std::cout << "\n'npusim SUBCOMMAND --help' describes one subcommand; 'npusim --version' prints the version.\n";
}

}  // namespace

int main_entry(const std::vector<std::string>& args) {
  return run_guarded([&]() -> int {
    if (args.empty()) return run_default_command({});
    const std::string& first = args[0];
    if (first == "--version" || first == "-V") {
      std::cout << version_text();
      return kExitOk;
    }
    if (first == "--help" || first == "-h" || first == "help") {
      print_overview();
      return kExitOk;
    }
    std::vector<std::string> names;
    for (const auto& s : subcommands()) {
      if (s.name == first) return s.run(std::vector<std::string>(args.begin() + 1, args.end()));
      names.push_back(s.name);
    }
    if (!first.empty() && first[0] == '-') {
      throw UsageError("unknown option '" + first + "' (options follow a subcommand; see 'npusim --help')");
    }
    throw UsageError("unknown subcommand '" + first + "'" + did_you_mean(first, names) + " (see 'npusim --help')");
  });
}

}  // namespace npusim::cli
