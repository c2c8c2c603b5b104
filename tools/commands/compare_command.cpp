// npusim compare: two runs figure by figure, engine by engine: A, B, B - A, B / A and the speedup of B
// over A (A the baseline), on the console and with --out as CSV and JSON. The runs are two folders written
// by `npusim run --out` (one engine or several side by side), or two configs run here on one workload
// through the run API (run/run_request.hpp), each engine of each config in a worker of its own.
#include <filesystem>
#include <iostream>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/json.hpp"
#include "common/output_folder.hpp"
#include "report/run_comparison.hpp"
#include "run/run_request.hpp"
#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "tools/plugin_options.hpp"
#include "tools/run_options.hpp"
#include "tools/workload_options.hpp"

namespace npusim::cli {

namespace {

// The runs of a folder: its report.json (one engine), or the runs its comparison.json holds (several
// side by side); a report.json given by its own path is one run.
std::vector<hw::RunReport> runs_in(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code code;
  const auto read_report = [](const std::string& file) { return hw::report_from_json(json::parse(read_file(file), file), file); };
  if (fs::is_regular_file(path, code)) return {read_report(path)};
  if (!fs::is_directory(path, code)) throw Error(path + ": no such run folder");
  const std::string report = (fs::path(path) / "report.json").string(), comparison = (fs::path(path) / "comparison.json").string();
  if (fs::is_regular_file(report, code)) return {read_report(report)};
  if (!fs::is_regular_file(comparison, code)) {
    throw Error(path + " holds neither report.json nor comparison.json: not a folder written by 'npusim run --out'");
  }
  const json::Value root = json::parse(read_file(comparison), comparison);
  const json::Reader reader(root, comparison);
  if (reader.string("format") != "npusim-comparison") reader.fail(reader.require("format"), "not an npusim comparison");
  std::vector<hw::RunReport> runs;
  for (const json::Value& run : reader.array("runs")) runs.push_back(hw::report_from_json(run, comparison));
  if (runs.empty()) reader.fail(reader.require("runs"), "no runs");
  return runs;
}

std::string engines_of(const std::vector<hw::RunReport>& runs) {
  std::string text;
  for (const auto& r : runs) text += (text.empty() ? "" : ", ") + r.engines;
  return text;
}

// Runs both configs on the workload the options name and pairs the runs engine by engine, in the order
// run: with no --engines each config's own engine per op kind, which may differ between A and B.
std::vector<hw::RunPair> run_configs(const po::variables_map& values, const std::vector<std::string>& configs) {
  run::RunRequest request;
  if (values.count("plugin")) request.plugins = values["plugin"].as<std::vector<std::string>>();
  request.workload = workload_request(values, "compare");
  if (values.count("set")) request.overrides = values["set"].as<std::vector<std::string>>();
  if (values.count("engines")) request.engines = engine_list(values["engines"].as<std::string>(), "compare");
  std::vector<run::ResolvedRun> resolved;
  for (const std::string& config : configs) {
    request.config_file = config;
    resolved.push_back(run::resolve(request));
    if (!resolved.back().defaults_note.empty()) std::cerr << "npusim: note: " << resolved.back().defaults_note << "\n";
    request.plugins.clear();  // loaded once
  }
  std::vector<run::EngineRun> runs;
  for (size_t side = 0; side < 2; ++side) {
    for (const run::EngineRun& engine : resolved[side].engines) runs.push_back({(side ? "b." : "a.") + engine.engine, engine.config});
  }
  const std::vector<run::EngineOutcome> outcomes = run::run_side_by_side(runs, resolved[0].trace, resolved[0].options, {});
  for (size_t i = 0; i < outcomes.size(); ++i) {
    if (!outcomes[i].ok) {
      const std::string side = i < resolved[0].engines.size() ? "A (" + configs[0] + ")" : "B (" + configs[1] + ")";
      throw Error("compare: the run of " + side + " on engine " + outcomes[i].engine.substr(2) + " failed: " + outcomes[i].error);
    }
  }
  std::vector<hw::RunPair> pairs;
  const size_t per_side = resolved[0].engines.size();
  for (size_t i = 0; i < per_side; ++i) {
    const hw::RunReport& a = outcomes[i].result.report;
    hw::RunReport b = outcomes[per_side + i].result.report;
    b.config_name = resolved[1].options.config_label;  // the workers shared A's options; the label is B's
    pairs.push_back({a.engines == b.engines ? a.engines : "A " + a.engines + " / B " + b.engines, a, b});
  }
  return pairs;
}

}  // namespace

int run_compare_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()
      ("a", po::value<std::string>(), "run A, the baseline: a folder written by 'npusim run --out' (or its report.json)")
      ("b", po::value<std::string>(), "run B, compared with A")
      ("config", po::value<std::vector<std::string>>(), "instead of two folders: run two hardware configs (give --config twice, A first) on the workload named")
      ("engines", po::value<std::string>(), "with --config: the non-linear engines each config runs (e.g. dsp,lut); default each config's own")
      ("set", po::value<std::vector<std::string>>()->composing(), "with --config: override a field of both configs: key.path=value (repeatable)")
      ("out", po::value<std::string>(), "folder for compare.txt, compare.csv and compare.json")
      ("force", po::bool_switch(), "write into a folder holding another kind of result or files npusim did not write (npusim's files there are replaced, the others kept)");
  add_plugin_option(options);
  add_workload_options(options, true);
  po::positional_options_description positional;
  positional.add("a", 1).add("b", 1);
  po::variables_map values;
  if (!parse_options("compare",
                     "npusim compare A B [--out DIR]  (A, B: folders written by 'npusim run --out')\n"
                     "  or: npusim compare --config A.yaml --config B.yaml (--model NAME | --workload FILE) [--engines LIST] [--out DIR]",
                     options, args, values, &positional)) {
    return kExitOk;
  }
  std::string a, b;
  std::vector<hw::RunPair> pairs;
  std::vector<std::string> unpaired;
  if (values.count("config")) {
    const auto configs = values["config"].as<std::vector<std::string>>();
    if (configs.size() != 2) throw UsageError("compare: give --config exactly twice, A then B (got " + std::to_string(configs.size()) + ")");
    if (values.count("a")) throw UsageError("compare: give two run folders or two --config files, not both");
    a = configs[0], b = configs[1];
    pairs = run_configs(values, configs);
  } else {
    if (!values.count("a") || !values.count("b")) {
      throw UsageError("compare: give two run folders, A and B, or two configs with --config (see 'npusim compare --help')");
    }
    for (const char* run_option : {"engines", "set", "model", "workload", "plugin"}) {
      if (values.count(run_option)) throw UsageError(std::string("compare: --") + run_option + " is for comparing two --config files");
    }
    a = values["a"].as<std::string>(), b = values["b"].as<std::string>();
    const std::vector<hw::RunReport> runs_a = runs_in(a), runs_b = runs_in(b);
    pairs = hw::pair_runs(runs_a, runs_b, unpaired);
    if (pairs.empty()) throw Error("compare: A and B ran no engine in common (A: " + engines_of(runs_a) + "; B: " + engines_of(runs_b) + ")");
  }
  const std::string text = hw::compare_text(a, b, pairs);
  std::cout << text;
  for (const auto& note : unpaired) std::cout << "note: " << note << "\n";
  if (values.count("out")) {
    const std::string dir = values["out"].as<std::string>();
    OutputFolder folder = OutputFolder::prepare(dir, "compare", "npusim compare", {values["force"].as<bool>(), false});
    write_file_atomically(dir + "/compare.txt", text);
    write_file_atomically(dir + "/compare.csv", hw::compare_csv(pairs));
    write_file_atomically(dir + "/compare.json", json::write(hw::compare_json(a, b, pairs)) + "\n");
    folder.commit();
    std::cout << "compare: " << dir << "/compare.txt, compare.csv, compare.json\n";
  }
  return kExitOk;
}

}  // namespace npusim::cli
