#include "tools/run_options.hpp"

#include <sstream>

#include "common/did_you_mean.hpp"
#include "tools/plugin_options.hpp"
#include "tools/workload_options.hpp"

namespace npusim::cli {

void add_run_options(po::options_description& options) {
  static const std::string engines_help =
      "non-linear engines to compare: " + join_names(hw::all_engine_names()) + " (e.g. dsp,lut)";
  options.add_options()
      ("config", po::value<std::string>(), "hardware config (default: the built-in paper NPU, configs/paper_npu.yaml)")
      ("engines", po::value<std::string>(), engines_help.c_str())
      ("set", po::value<std::vector<std::string>>()->composing(), "override a config field: key.path=value (repeatable)")
      ("linear", po::value<std::string>(), "linear layers (matmul, conv): mau (dense, the default) or lutnn (LUT-NN; sets linear.engine)")
      ("no-defaults-note", po::bool_switch(), "do not list the fields the --config file leaves at the paper NPU's values");
  add_plugin_option(options);
  add_workload_options(options, true);
  options.add_options()
      ("out", po::value<std::string>(), "folder for report.json, summary.csv, ops.csv, layers.csv, activities.csv, timeline.svg (per-op Gantt), config.yaml; with several engines a sub-folder each plus comparison.txt and comparison.json")
      ("force", po::bool_switch(), "write --out into a folder holding another kind of result or files npusim did not write (npusim's files there are replaced, the others kept)")
      ("json", po::value<std::string>(), "write the whole report as JSON")
      ("timeline", po::value<std::string>(), "Perfetto / Chrome trace-event timeline (JSON); with several engines one file, a process per engine")
      ("vcd", po::value<std::string>(), "engine busy signals as VCD; with several engines one file per engine, FILE's stem + .ENGINE")
      ("generate", po::value<std::string>(), "LLM generation PROMPT_TOKENS,NEW_TOKENS with a decoder --model or --onnx: TTFT, TPOT, tokens/s, energy per token (docs/generation.md)")
      ("onnx", po::value<std::string>(), "a decoder ONNX model to --generate with: its sizes are read off the graph (docs/generation.md)")
      ("functional", po::bool_switch(), "compute real outputs of the LUT units and the DSP and check them")
      ("seed", po::value<uint64_t>()->default_value(1), "seed of the functional stimulus")
      ("sensitivity", po::bool_switch(),
       "repeat the run with each calibrated constant at the ends of its plausible range and print how the totals and the speedup move");
}

std::vector<std::string> engine_list(const std::string& list, const std::string& command) {
  std::vector<std::string> engines;
  std::stringstream split(list);
  for (std::string engine; std::getline(split, engine, ',');) engines.push_back(engine);
  if (engines.empty()) throw UsageError(command + ": --engines needs at least one engine");
  return engines;
}

run::RunRequest run_request(const po::variables_map& values) {
  run::RunRequest request;
  if (values.count("plugin")) request.plugins = values["plugin"].as<std::vector<std::string>>();
  if (values.count("onnx")) {  // a generation's workload: the sizes of a decoder (tools/run_generation.cpp reads them)
    for (const char* option : {"model", "workload"}) {
      if (values.count(option)) throw UsageError(std::string("run: --onnx and --") + option + " exclude each other");
    }
    request.workload.onnx_file = values["onnx"].as<std::string>();
  } else {
    request.workload = workload_request(values, "run");
  }
  if (values.count("config")) request.config_file = values["config"].as<std::string>();
  if (values.count("set")) request.overrides = values["set"].as<std::vector<std::string>>();
  if (values.count("linear")) {
    const std::string linear = values["linear"].as<std::string>();
    if (linear != "mau" && linear != "lutnn") throw UsageError("run: --linear takes mau or lutnn, got '" + linear + "'");
    request.overrides.push_back("linear.engine=" + linear);  // after every --set, as its own override
  }
  if (values.count("engines")) request.engines = engine_list(values["engines"].as<std::string>(), "run");
  request.force = values["force"].as<bool>();
  request.functional = values["functional"].as<bool>();
  request.seed = values["seed"].as<uint64_t>();
  for (const auto& [option, path] : {std::pair{"out", &request.outputs.out_dir}, {"json", &request.outputs.json_path},
                                     {"timeline", &request.outputs.timeline_path}, {"vcd", &request.outputs.vcd_path}}) {
    if (values.count(option)) *path = values[option].as<std::string>();
  }
  return request;
}

}  // namespace npusim::cli
