// The run API: what `npusim run` does, as plain data in and plain data out, for the command line and for
// bindings (`npusim.run(model=..., engines=[...], config=..., overrides={...})`). No option parser here:
// errors are npusim::Error with their "file:line:column: " where a file is at fault.
//
//   RunRequest --resolve--> ResolvedRun --execute--> RunResult
//
// resolve reads the config and the workload and makes each engine's effective config, before anything is
// simulated (a caller can show its defaults note first); execute runs one engine in this process, or
// several side by side in worker processes, and writes the files the request names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/output_folder.hpp"
#include "hw/config/hw_config.hpp"
#include "run/output_files.hpp"
#include "run/run_point.hpp"
#include "run/side_by_side.hpp"
#include "run/workload_request.hpp"
#include "workloads/trace.hpp"

namespace npusim::run {

struct RunRequest {
  // Shared libraries that register unit models (hw/sim/unit_registry.hpp), loaded before the config is
  // read, so that it may name their models.
  std::vector<std::string> plugins;
  WorkloadRequest workload;
  std::string config_file;             // a YAML hardware config; "": the built-in paper NPU (configs/paper_npu.yaml)
  std::vector<std::string> overrides;  // "key.path=value", applied in order over the config
  // None: one run with the config's own engine per op kind. One: one run, every op kind on it. Several:
  // one run per engine, side by side, the first the baseline of the comparison.
  std::vector<std::string> engines;
  bool functional = false;             // compute and check the units' outputs; a mismatch fails the run
  uint64_t seed = 1;                   // of the functional stimulus
  // Files to write ("" for none). With several engines: out_dir gets a sub-folder per engine plus
  // comparison.txt and comparison.json, json_path the comparison, the timeline one Perfetto process per
  // engine, and the VCD one file per engine (FILE's stem + ".ENGINE").
  RunFiles outputs;
  // out_dir may hold another kind of npusim result, or files npusim did not write: npusim's files there
  // are replaced and the others kept (common/output_folder.hpp). Without it such a folder is refused.
  bool force = false;
};

// A request made concrete: the trace, and per engine the effective config it runs.
struct ResolvedRun {
  workloads::Trace trace;
  std::vector<EngineRun> engines;  // engine "config" when the request named none
  RunPointOptions options;         // config_label: the config's name and the overrides
  RunFiles outputs;
  // Which fields the config file left at the paper NPU's values ("" when it gives them all, or when no
  // file was named): a file cut off at a section boundary reads as a shorter valid one.
  std::string defaults_note;
  // outputs.out_dir, cleared of an earlier run's files and marked as being written; execute() records
  // what it wrote in the folder's manifest.
  std::optional<OutputFolder> out_folder;
};

// Checks that the outputs can be written, reads the config and applies the overrides once, reads or
// generates the trace; then, nothing else being wrong, prepares out_dir for the run's files (an earlier
// run's files there are removed; another kind of result or a user's files are refused unless `force`).
// Throws npusim::Error (an unknown engine, an engine named twice, a bad config, a refused folder, ...).
ResolvedRun resolve(const RunRequest& request);

struct RunResult {
  std::vector<EngineOutcome> engines;  // in the order requested
  std::string comparison;              // several engines: the side-by-side table (comparison.txt); one: ""

  // Every engine ran and passed its functional checks.
  bool ok() const;
  std::vector<hw::RunReport> reports() const;  // of the engines that ran
};

// One engine runs in this process (its error is thrown); several run side by side, each in a worker of
// its own, and each outcome says whether it ran (the comparison and its files are written only when all
// did). In a process that will run side by side, call it before any simulation (workers are forks).
RunResult execute(const ResolvedRun& run);

// Records the files written into run.outputs.out_dir in its manifest (execute does it; a caller that
// writes the folder's files itself, as a generation does, calls it after them). A run that failed
// leaves the manifest incomplete: the next run into the folder clears what it wrote.
void commit_outputs(const ResolvedRun& run);

// resolve, then execute.
RunResult run(const RunRequest& request);

}  // namespace npusim::run
