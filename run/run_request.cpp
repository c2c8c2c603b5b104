#include "run/run_request.hpp"

#include <algorithm>
#include <filesystem>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/json.hpp"
#include "hw/config/hw_config_io.hpp"
#include "run/effective_config.hpp"
#include "hw/sim/unit_registry.hpp"

namespace npusim::run {

ResolvedRun resolve(const RunRequest& request) {
  check_writable(request.outputs);
  for (const auto& plugin : request.plugins) hw::load_plugin(plugin);
  hw::HwConfig base;
  ResolvedRun resolved;
  if (!request.config_file.empty()) {
    std::vector<std::string> not_given;
    base = hw::load_hw_config(request.config_file, &not_given);
    resolved.defaults_note = hw::defaults_note(request.config_file, not_given);
  }
  const EffectiveConfig effective = with_overrides(base, request.overrides);
  std::vector<hw::NonlinearEngine> engines;
  for (const auto& name : request.engines) {
    const hw::NonlinearEngine engine = hw::parse_engine(name);  // a did-you-mean for a misspelt engine
    if (std::find(engines.begin(), engines.end(), engine) != engines.end()) throw Error("the engine " + name + " is named twice");
    engines.push_back(engine);
  }
  resolved.trace = load_trace(request.workload);
  for (const hw::NonlinearEngine engine : engines) {
    resolved.engines.push_back({std::string(hw::engine_name(engine)), on_engine(effective.config, engine)});
  }
  if (engines.empty()) resolved.engines.push_back({"config", effective.config});
  resolved.options.functional = request.functional;
  resolved.options.seed = request.seed;
  resolved.options.config_label = effective.label;
  resolved.outputs = request.outputs;
  if (!request.outputs.out_dir.empty()) {
    resolved.out_folder = OutputFolder::prepare(request.outputs.out_dir, "run", "npusim run",
                                                {request.force, false, earlier_run_files(request.outputs.out_dir)});
  }
  return resolved;
}

bool RunResult::ok() const {
  for (const auto& e : engines) {
    if (!e.ok || !e.result.functional_passed()) return false;
  }
  return !engines.empty();
}

std::vector<hw::RunReport> RunResult::reports() const {
  std::vector<hw::RunReport> list;
  for (const auto& e : engines) {
    if (e.ok) list.push_back(e.result.report);
  }
  return list;
}

namespace {

// comparison.json: every engine's total; every engine's speedup over the baseline, the first engine
// named, stated in the file itself; every engine's report.
json::Value comparison_json(const std::vector<hw::RunReport>& reports) {
  json::Value root = json::Value::object();
  root.set("format", "npusim-comparison");
  root.set("version", 2);  // 1: one "speedup", the first engine's total over the last's
  json::Value totals = json::Value::object();
  for (const auto& r : reports) totals.set(r.engines, r.total_ms());
  root.set("total_ms", totals);
  root.set("baseline", reports.front().engines);
  root.set("speedup_definition", "baseline total_ms / this engine's total_ms: above 1, this engine is faster than the baseline");
  json::Value speedups = json::Value::object();
  for (const auto& r : reports) speedups.set(r.engines, reports.front().total_ns / r.total_ns);
  root.set("speedup", speedups);
  json::Value runs = json::Value::array();
  for (const auto& r : reports) runs.push_back(hw::report_json(r));
  root.set("runs", runs);
  return root;
}

}  // namespace

void commit_outputs(const ResolvedRun& run) {
  if (!run.out_folder) return;
  OutputFolder folder = *run.out_folder;
  folder.commit();
}

RunResult execute(const ResolvedRun& run) {
  RunResult result;
  if (run.engines.empty()) throw Error("a run needs at least one engine's config");
  if (run.trace.ops.empty()) throw Error(run.trace.model + ": an ONNX model is a workload of generation only (its traces are built from its sizes)");
  if (run.engines.size() == 1) {
    const EngineRun& engine = run.engines.front();
    ActivityFiles files(run.outputs, run.options.config_label);
    EngineOutcome outcome;
    outcome.engine = engine.engine;
    outcome.result = run_point(engine.config, run.trace, run.options, files.empty() ? std::vector<RunSink*>{} : std::vector<RunSink*>{&files});
    outcome.ok = true;
    write_report_files(run.outputs, engine.config, outcome.result.report);
    result.engines.push_back(std::move(outcome));
    commit_outputs(run);
    return result;
  }
  result.engines = run_side_by_side(run.engines, run.trace, run.options, run.outputs);
  for (const auto& e : result.engines) {
    if (!e.ok) return result;
  }
  const std::vector<hw::RunReport> reports = result.reports();
  result.comparison = hw::comparison_text(reports);
  const std::string comparison = json::write(comparison_json(reports));
  if (!run.outputs.json_path.empty()) write_file_atomically(run.outputs.json_path, comparison);
  if (!run.outputs.out_dir.empty()) {
    const std::filesystem::path dir(run.outputs.out_dir);
    write_file_atomically((dir / "comparison.txt").string(), result.comparison);
    write_file_atomically((dir / "comparison.json").string(), comparison);
  }
  commit_outputs(run);
  return result;
}

RunResult run(const RunRequest& request) { return execute(resolve(request)); }

}  // namespace npusim::run
