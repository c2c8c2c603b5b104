#include "tools/run_options.hpp"

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <sstream>

#include "hw/config/hw_config_io.hpp"
#include "hw/sim/unit_registry.hpp"
#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "tools/workload_options.hpp"

namespace npusim::cli {

void add_run_options(po::options_description& options) {
  options.add_options()
      ("config", po::value<std::string>(), "hardware config (default: the built-in paper NPU, configs/paper_npu.yaml)")
      ("engines", po::value<std::string>(), "non-linear engines to compare: dsp, lut, nnlut, ibert, ivit (e.g. dsp,lut)")
      ("set", po::value<std::vector<std::string>>()->composing(), "override a config field: key.path=value (repeatable)")
      ("linear", po::value<std::string>(), "linear layers (matmul, conv): mau (dense, the default) or lutnn (LUT-NN; sets linear.engine)")
      ("no-defaults-note", po::bool_switch(), "do not list the fields the --config file leaves at the paper NPU's values")
      ("plugin", po::value<std::vector<std::string>>()->composing(),
       "load a shared library that registers unit models a config can name (repeatable; README: Bring your own unit)");
  add_workload_options(options, true);
  options.add_options()
      ("out", po::value<std::string>(), "folder for ops.csv, activities.csv, layers.csv, summary.csv, report.json, config.yaml")
      ("json", po::value<std::string>(), "write the whole report as JSON")
      ("timeline", po::value<std::string>(), "Perfetto / Chrome trace-event timeline (JSON); with several engines one file, a process per engine")
      ("vcd", po::value<std::string>(), "engine busy signals as VCD; with several engines one file per engine, FILE's stem + .ENGINE")
      ("functional", po::bool_switch(), "compute real outputs of the LUT units and the DSP and check them")
      ("seed", po::value<uint64_t>()->default_value(1), "seed of the functional stimulus");
}

namespace {

// Where results go is checked before the simulation, not after it: a misspelt folder costs nothing, and
// nothing is thrown once SystemC has switched stacks (ASan mistakes such a throw for a stack overflow).
void check_output_destinations(const po::variables_map& values) {
  if (values.count("out")) ensure_writable_directory(values["out"].as<std::string>());
  for (const char* option : {"json", "timeline", "vcd"}) {
    if (!values.count(option)) continue;
    const std::string path = values[option].as<std::string>();
    const std::filesystem::path parent = std::filesystem::path(path).parent_path();
    const std::string folder = parent.empty() ? "." : parent.string();
    std::error_code code;
    if (!std::filesystem::is_directory(folder, code) || ::access(folder.c_str(), W_OK | X_OK) != 0) {
      throw Error("cannot write " + path + ": " + folder + " is not a writable folder");
    }
  }
}

}  // namespace

RunSetup run_setup(const po::variables_map& values) {
  check_output_destinations(values);
  std::vector<std::string> plugins;
  if (values.count("plugin")) plugins = values["plugin"].as<std::vector<std::string>>();
  for (const auto& plugin : plugins) hw::load_plugin(plugin);
  RunSetup setup;
  if (values.count("config")) {
    std::vector<std::string> not_given;
    setup.config = hw::load_hw_config(values["config"].as<std::string>(), &not_given);
    // A config cut off at a section boundary reads as a shorter valid one: say what took the defaults.
    const std::string note = hw::defaults_note(values["config"].as<std::string>(), not_given);
    if (!note.empty() && !values["no-defaults-note"].as<bool>()) std::cerr << "npusim: note: " << note << "\n";
  }
  std::vector<std::string> overrides;
  if (values.count("set")) overrides = values["set"].as<std::vector<std::string>>();
  hw::apply_overrides(setup.config, overrides);
  // A run with overrides must not read as the config it started from.
  setup.config_label = setup.config.name;
  for (const auto& o : overrides) setup.config_label += " " + o;
  if (values.count("linear")) {
    const std::string linear = values["linear"].as<std::string>();
    if (linear != "mau" && linear != "lutnn") throw UsageError("run: --linear takes mau or lutnn, got '" + linear + "'");
    hw::set_config_value(setup.config, "linear.engine", linear, "--linear");
    setup.config_label += " linear.engine=" + linear;
  }

  if (values.count("engines")) {
    std::stringstream split(values["engines"].as<std::string>());
    for (std::string engine; std::getline(split, engine, ',');) {
      hw::parse_engine(engine);  // a clear error for a misspelt engine
      for (const auto& seen : setup.engines) {
        if (seen == engine) throw UsageError("run: --engines names " + engine + " twice");
      }
      setup.engines.push_back(engine);
    }
    if (setup.engines.empty()) throw UsageError("run: --engines needs at least one engine");
    if (setup.engines.size() == 1) {
      setup.config.nonlinear.default_engine = hw::parse_engine(setup.engines.front());
      setup.config.nonlinear.per_kind.clear();
    }
  } else {
    setup.engines.push_back("config");  // one run with the config's own engine choice
  }

  // Children re-read the same inputs; outputs and engines are given per child.
  setup.child_args = {"run", "--no-defaults-note"};  // the parent has said it once
  for (const auto& plugin : plugins) setup.child_args.insert(setup.child_args.end(), {"--plugin", plugin});
  for (const char* option : {"config", "workload", "model", "blocks", "calibration"}) {
    if (values.count(option)) setup.child_args.insert(setup.child_args.end(), {std::string("--") + option, values[option].as<std::string>()});
  }
  if (values.count("tokens")) setup.child_args.insert(setup.child_args.end(), {"--tokens", std::to_string(values["tokens"].as<int64_t>())});
  setup.child_args.insert(setup.child_args.end(), {"--batch", std::to_string(values["batch"].as<int64_t>())});
  if (values["full"].as<bool>()) setup.child_args.push_back("--full");
  for (const auto& o : overrides) setup.child_args.insert(setup.child_args.end(), {"--set", o});
  if (values.count("linear")) setup.child_args.insert(setup.child_args.end(), {"--linear", values["linear"].as<std::string>()});
  if (values["functional"].as<bool>()) setup.child_args.push_back("--functional");
  setup.child_args.insert(setup.child_args.end(), {"--seed", std::to_string(values["seed"].as<uint64_t>())});
  return setup;
}

}  // namespace npusim::cli
