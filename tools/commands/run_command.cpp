// npusim run: the timed model on a workload; several engines side by side, each in its own process.
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>

#include "report/activity_files.hpp"
#include "hw/config/hw_config_io.hpp"
#include "hw/plan/plan_builder.hpp"
#include "report/run_report.hpp"
#include "hw/sim/simulation.hpp"
#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "tools/child_process.hpp"
#include "tools/commands.hpp"
#include "tools/run_options.hpp"
#include "tools/workload_options.hpp"

namespace npusim::cli {

namespace {

// "stem.ext" -> "stem.engine.ext" for per-engine files of a side-by-side run.
std::string with_engine(const std::string& path, const std::string& engine) {
  const std::filesystem::path p(path);
  return (p.parent_path() / (p.stem().string() + "." + engine + p.extension().string())).string();
}

void write_outputs(const po::variables_map& values, const hw::HwConfig& config, const hw::RunReport& report) {
  if (values.count("out")) {
    const std::filesystem::path dir(values["out"].as<std::string>());
    write_file_atomically((dir / "ops.csv").string(), hw::ops_csv(report));
    write_file_atomically((dir / "layers.csv").string(), hw::layers_csv(report));
    write_file_atomically((dir / "summary.csv").string(), hw::summary_csv(report));
    write_file_atomically((dir / "report.json").string(), json::write(hw::report_json(report)));
    write_file_atomically((dir / "config.yaml").string(), hw::dump_hw_config(config));
  }
  if (values.count("json")) write_file_atomically(values["json"].as<std::string>(), json::write(hw::report_json(report)));
}

int run_one(const po::variables_map& values, const hw::HwConfig& config, const std::string& config_label) {
  const workloads::Trace trace = load_workload(values, "run");
  const hw::ExecutionPlan plan = hw::build_plan(trace, config, hw::PrepareOptions{values["functional"].as<bool>()});
  hw::SimulationOptions options;
  options.functional = values["functional"].as<bool>();
  options.seed = values["seed"].as<uint64_t>();
  // The report and the files of every activity are built while the simulation runs.
  hw::ReportBuilder builder(config, plan);
  std::vector<hw::ActivitySink*> sinks = {&builder};
  std::unique_ptr<hw::ActivitiesCsvFile> activities;
  std::unique_ptr<hw::TimelineFile> timeline;
  std::unique_ptr<hw::VcdFile> vcd;
  if (values.count("out")) {
    const std::filesystem::path dir(values["out"].as<std::string>());
    ensure_writable_directory(dir.string());
    activities = std::make_unique<hw::ActivitiesCsvFile>((dir / "activities.csv").string(), plan);
    sinks.push_back(activities.get());
  }
  if (values.count("timeline")) {
    timeline = std::make_unique<hw::TimelineFile>(values["timeline"].as<std::string>(), plan, config.dram.bandwidth_gbps,
                                                  hw::engines_description(config) + " (" + config_label + ")");
    sinks.push_back(timeline.get());
  }
  if (values.count("vcd")) {
    vcd = std::make_unique<hw::VcdFile>(values["vcd"].as<std::string>());
    sinks.push_back(vcd.get());
  }
  const hw::SimulationResult result = hw::simulate(config, plan, options, sinks);
  for (const auto& warning : result.warnings) std::cerr << "npusim: warning: " << warning << "\n";
  hw::RunReport report = builder.finish(result.total_ns, result.functional);
  report.workload = trace.model + " (" + std::to_string(trace.ops.size()) + " ops)";
  report.config_name = config_label;
  std::cout << hw::summary_text(report);
  if (activities) activities->commit();
  if (timeline) timeline->commit();
  if (vcd) vcd->commit();
  write_outputs(values, config, report);
  for (const auto& f : result.functional) {
    if (f.mismatches != 0) return kExitError;
  }
  return kExitOk;
}

int run_side_by_side(const po::variables_map& values, const std::vector<std::string>& engines,
                     const std::vector<std::string>& base_args) {
  char pattern[] = "/tmp/npusim_run_XXXXXX";
  if (::mkdtemp(pattern) == nullptr) throw Error("cannot create a temporary folder");
  const std::string scratch = pattern;
  std::vector<pid_t> children;
  for (const auto& engine : engines) {
    std::vector<std::string> args = base_args;
    args.insert(args.end(), {"--engines", engine, "--json", scratch + "/" + engine + ".json"});
    if (values.count("out")) args.insert(args.end(), {"--out", (std::filesystem::path(values["out"].as<std::string>()) / engine).string()});
    // Each child writes its own timeline; they are merged into the one file named, a process per engine.
    if (values.count("timeline")) args.insert(args.end(), {"--timeline", scratch + "/" + engine + ".timeline.json"});
    if (values.count("vcd")) args.insert(args.end(), {"--vcd", with_engine(values["vcd"].as<std::string>(), engine)});
    children.push_back(start_self(args, scratch + "/" + engine + ".out", scratch + "/" + engine + ".err"));
  }
  std::vector<hw::RunReport> reports;
  json::Value runs = json::Value::array();
  bool failed = false;
  for (size_t i = 0; i < engines.size(); ++i) {
    const int code = wait_child(children[i]);
    const std::string err = read_file(scratch + "/" + engines[i] + ".err");
    if (code != 0) {
      std::cerr << "npusim: the " << engines[i] << " run failed (exit " << code << "):\n" << err;
      failed = true;
      continue;
    }
    std::cerr << err;
    const std::string path = scratch + "/" + engines[i] + ".json";
    const json::Value value = json::parse(read_file(path), path);
    reports.push_back(hw::report_from_json(value, path));
    runs.push_back(value);
  }
  if (!failed && values.count("timeline")) {
    std::vector<std::string> parts;
    for (const auto& engine : engines) parts.push_back(scratch + "/" + engine + ".timeline.json");
    hw::merge_timelines(parts, values["timeline"].as<std::string>());
  }
  std::filesystem::remove_all(scratch);
  if (failed) return kExitError;
  const std::string comparison = hw::comparison_text(reports);
  std::cout << comparison;
  json::Value root = json::Value::object();
  root.set("format", "npusim-comparison");
  root.set("version", 1);
  json::Value totals = json::Value::object();
  for (const auto& r : reports) totals.set(r.engines, r.total_ms());
  root.set("total_ms", totals);
  root.set("speedup", reports.size() > 1 ? reports.front().total_ns / reports.back().total_ns : 1.0);
  root.set("runs", runs);
  if (values.count("json")) write_file_atomically(values["json"].as<std::string>(), json::write(root));
  if (values.count("out")) {
    const std::filesystem::path dir(values["out"].as<std::string>());
    write_file_atomically((dir / "comparison.txt").string(), comparison);
    write_file_atomically((dir / "comparison.json").string(), json::write(root));
  }
  return kExitOk;
}

}  // namespace

int run_run_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  add_run_options(options);
  po::variables_map values;
  if (!parse_options("run", "npusim run [--config FILE] [--workload FILE | --model NAME [--tokens N] [--full]] "
                            "[--engines LIST] [--linear mau|lutnn] [--set key.path=value]... [--out DIR] [--json FILE] [--timeline FILE] "
                            "[--vcd FILE] [--functional]",
                     options, args, values)) {
    return kExitOk;
  }
  const RunSetup setup = run_setup(values);
  if (setup.engines.size() == 1) return run_one(values, setup.config, setup.config_label);
  return run_side_by_side(values, setup.engines, setup.child_args);
}

}  // namespace npusim::cli
