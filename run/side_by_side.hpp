// Several engines on one workload, each simulated in a worker process of its own (SystemC elaborates one
// design at a time in a process), all at once. Each engine's effective config is made here and reaches
// its worker in memory - the worker is a fork of this process - so nothing is forwarded as arguments or
// parsed again; the worker hands its report back through a file in a private scratch folder.
#pragma once

#include <string>
#include <vector>

#include "hw/config/hw_config.hpp"
#include "run/output_files.hpp"
#include "run/run_point.hpp"
#include "workloads/trace.hpp"

namespace npusim::run {

struct EngineRun {
  std::string engine;  // "dsp", "lut", ...: names the run, its sub-folder and its files
  hw::HwConfig config;
};

struct EngineOutcome {
  std::string engine;
  bool ok = false;
  RunPointResult result;  // when ok
  std::string error;      // when not: the run's error, or how its worker ended
  std::string log;        // what the worker printed on stderr, if anything
};

// Runs every engine in its own worker and waits for all of them; an engine that fails leaves the others
// running. Per engine, `outputs.out_dir`/ENGINE gets that run's files and the VCD goes to the stem of
// `outputs.vcd_path` + ".ENGINE"; the timelines are merged into `outputs.timeline_path`, one Perfetto
// process per engine in the order given, when every engine ran. `outputs.json_path` is not written here
// (a side-by-side run's JSON is the comparison: run/run_request.hpp). The caller must be single-threaded
// and must not have simulated (the workers inherit this process).
std::vector<EngineOutcome> run_side_by_side(const std::vector<EngineRun>& runs, const workloads::Trace& trace,
                                            const RunPointOptions& options, const RunFiles& outputs);

// "stem.ext" -> "stem.ENGINE.ext": an engine's own file beside the one named.
std::string with_engine(const std::string& path, const std::string& engine);

}  // namespace npusim::run
