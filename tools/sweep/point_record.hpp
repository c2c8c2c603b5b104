// A sweep point's record: one line of a results file (tools/sweep/results_file.hpp) per finished run,
// with everything the sweep needs to vouch for it and to build its summary - the point's content id, the
// `npusim run` arguments that reproduce it, the SHA-256 of every file the run read (base config,
// trace), and the run's outcome (the report's summary, or the error). The line ends with the SHA-256 of
// everything before it, so a torn or edited line is never taken for a result. A generation point's record
// also carries the generation's headline figures (TTFT, TPOT, tokens per second, energy per token).
//
// A record is used only when its point is one the current spec defines (its id: workload, engine and
// axis values) and its inputs are the files as they are now: a changed spec or input is recomputed by
// `sweep --resume` and left out by `sweep-merge`, each with its reason.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hw/config/hw_config.hpp"
#include "hw/config/sweep_spec.hpp"
#include "report/run_report.hpp"
#include "report/sweep_report.hpp"

namespace npusim::cli {

struct PointRecord {
  std::string point;                                // content id (tools/sweep/point_id.hpp)
  std::vector<std::string> run_args;                // `npusim run ...` for this point, outputs excluded
  std::map<std::string, std::string> input_sha256;  // path -> digest of every file the run reads
  bool ok = false;
  hw::RunReport report;               // ok: the run's totals, busy times and critical path (no ops, no layers)
  std::vector<std::string> warnings;  // ok: SystemC warnings of the run
  std::string error;                  // failed: why
  std::string result_json_sha256;     // run with --keep-points: the digest of points/<id>/result.json
  std::optional<GenerationFigures> generation;  // ok, a generation point: TTFT, TPOT and the rest
  // In an expected record: the point runs a generation, so a result without `generation` (recorded by an
  // npusim before sweeps kept those figures) is not used.
  bool generates = false;
};

// The records the current spec expects (no outcome yet), with each input file read and digested once.
class PointRecords {
 public:
  explicit PointRecords(const hw::SweepSpec& spec) : spec_(spec) {}
  PointRecord expected(const hw::SweepPoint& point);

 private:
  bool generates(const hw::SweepPoint& point);

  const hw::SweepSpec& spec_;
  std::map<std::string, std::string> digests_;
  std::optional<hw::HwConfig> base_;  // read at the first point
};

// One line, newline included.
std::string record_line(const PointRecord& record);

// Reads one line (without its newline): "" and `record` filled, or why the line is no record.
std::string parse_record_line(const std::string& line, const std::string& where, PointRecord& record);

// "" when `recorded` was computed from the inputs `expected` names, as they are now; else why not.
std::string record_mismatch(const PointRecord& recorded, const PointRecord& expected);

}  // namespace npusim::cli
