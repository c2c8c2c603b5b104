#include "run/side_by_side.hpp"

#include <signal.h>
#include <stdlib.h>

#include <cstring>
#include <filesystem>
#include <iostream>

#include "common/atomic_file.hpp"
#include "common/error.hpp"
#include "common/json.hpp"
#include "run/child_process.hpp"
#include "run/scratch_folder.hpp"
#include "run/worker_pool.hpp"

namespace npusim::run {

namespace {

// What a worker hands back: {"report": <report_json>, "warnings": [...]}, or {"error": "..."}. A file,
// not a pipe: the parent reads each only once its worker has ended, so no worker ever blocks on a full
// pipe while the parent waits for another; a worker that dies mid-write leaves no file (it is written
// atomically), which the parent reports as the way the worker ended; and the scratch folder exists
// anyway for the workers' logs and timelines.
void write_outcome(const std::string& path, const RunPointResult* result, const std::string& error) {
  json::Value root = json::Value::object();
  if (result != nullptr) {
    json::Value warnings = json::Value::array();
    for (const auto& w : result->warnings) warnings.push_back(w);
    root.set("warnings", warnings);
    root.set("report", hw::report_json(result->report));
  } else {
    root.set("error", error);
  }
  write_file_atomically(path, json::write(root));
}

void read_outcome(const std::string& path, EngineOutcome& outcome) {
  const json::Value root = json::parse(read_file(path), path);
  const json::Reader reader(root, path);
  if (reader.has("error")) {
    outcome.error = reader.string("error");
    return;
  }
  for (const json::Value& w : reader.array("warnings")) outcome.result.warnings.push_back(reader.string_of(w, "a warning"));
  outcome.result.report = hw::report_from_json(reader.require("report"), path);
  outcome.ok = true;
}

std::string ended_text(int status) {
  if (status > 128) return "its worker was ended by signal " + std::to_string(status - 128) + " (" + ::strsignal(status - 128) + ")";
  return "its worker ended with exit code " + std::to_string(status) + " and no result";
}

}  // namespace

std::string with_engine(const std::string& path, const std::string& engine) {
  const std::filesystem::path p(path);
  return (p.parent_path() / (p.stem().string() + "." + engine + p.extension().string())).string();
}

std::vector<EngineOutcome> run_side_by_side(const std::vector<EngineRun>& runs, const workloads::Trace& trace,
                                            const RunPointOptions& options, const RunFiles& outputs) {
  const ScratchFolder scratch;
  // In a worker: the engine's run and its files, then the outcome file; everything it prints goes to its log.
  const auto run_engine = [&](size_t i) {
    const EngineRun& run = runs[i];
    RunFiles files;
    if (!outputs.out_dir.empty()) files.out_dir = (std::filesystem::path(outputs.out_dir) / run.engine).string();
    if (!outputs.timeline_path.empty()) files.timeline_path = scratch.file(run.engine, ".timeline.json");
    if (!outputs.vcd_path.empty()) files.vcd_path = with_engine(outputs.vcd_path, run.engine);
    int code = kChildOk;
    {
      const OutputRedirect logs(scratch.file(run.engine, ".out"), scratch.file(run.engine, ".err"));
      try {
        check_writable(files);
        ActivityFiles activity_files(files, options.config_label);
        const RunPointResult result =
            run_point(run.config, trace, options, activity_files.empty() ? std::vector<RunSink*>{} : std::vector<RunSink*>{&activity_files});
        write_report_files(files, run.config, result.report);
        write_outcome(scratch.file(run.engine, ".result.json"), &result, "");
      } catch (const std::exception& e) {
        write_outcome(scratch.file(run.engine, ".result.json"), nullptr, e.what());
        code = kChildFailed;
      }
    }
    return code;
  };
  std::vector<int> status(runs.size(), kChildFailed);
  run_in_workers(runs.size(), static_cast<int>(runs.size()), run_engine,
                 [&](const TaskOutcome& outcome) { status[outcome.task] = outcome.status; });

  std::vector<EngineOutcome> outcomes(runs.size());
  bool all_ok = true;
  for (size_t i = 0; i < runs.size(); ++i) {
    EngineOutcome& outcome = outcomes[i];
    outcome.engine = runs[i].engine;
    std::error_code code;
    if (std::filesystem::exists(scratch.file(outcome.engine, ".err"), code)) outcome.log = read_file(scratch.file(outcome.engine, ".err"));
    const std::string result_path = scratch.file(outcome.engine, ".result.json");
    if (std::filesystem::exists(result_path, code)) {
      read_outcome(result_path, outcome);
    } else {
      outcome.error = ended_text(status[i]);
    }
    all_ok = all_ok && outcome.ok;
  }
  if (all_ok && !outputs.timeline_path.empty()) {
    std::vector<std::string> parts;
    for (const auto& run : runs) parts.push_back(scratch.file(run.engine, ".timeline.json"));
    hw::merge_timelines(parts, outputs.timeline_path);
  }
  return outcomes;
}

}  // namespace npusim::run
