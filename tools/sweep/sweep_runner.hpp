// A sweep as plain data in and out, for `npusim sweep` and for the Python module: the spec's points in
// worker processes forked from this one, their records appended to the output folder's results file,
// then the summary, plots and index (report/sweep_report.hpp).
#pragma once

#include <string>
#include <vector>

#include "hw/config/sweep_spec.hpp"
#include "report/sweep_report.hpp"

namespace npusim::cli {

struct SweepRequest {
  hw::SweepSpec spec;
  std::string spec_name;    // how messages and OUT/sweep.json name the spec (its path)
  std::string spec_sha256;  // of the spec's text: a resume with another spec says so
  std::string out_dir;
  int jobs = 1;             // points run at once, 1..256
  bool resume = false;      // keep the results OUT holds (a sweep into a folder with results needs it)
  int shard = 0, shards = 1;  // run only the points with index % shards == shard
  bool keep_points = false;   // also OUT/points/<id>/ per point: result.json (as `npusim run --json`), logs
  bool progress = true;       // a progress bar (a terminal) or a line per point on stderr
  bool force = false;         // --force: start again in a folder with results; write beside another kind's result or others' files
};

struct SweepOutcome {
  std::vector<PointResult> results;  // every point of the spec, in its order
  size_t ran = 0;                    // points this sweep computed (the others had results)
  int failed = 0;                    // points of this run that failed or left no usable result
};

// Runs what the request asks and writes OUT's summary.csv, plots and index.html. Throws npusim::Error
// before any point runs for a folder another sweep is writing, one with results but neither `resume` nor
// `force`, or one holding another kind of result or files npusim did not write without `force`
// (common/output_folder.hpp).
// The caller must be single-threaded enough to fork (run/worker_pool.hpp) and must not have simulated.
SweepOutcome run_sweep(const SweepRequest& request);

}  // namespace npusim::cli
