// What a sweep's results become: the summary CSV (one row per point, in point order, every row with the
// header's fields; a generation point's TTFT and TPOT in columns of their own, empty for other points),
// the plots and an index.html, from each point's result (or its error).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hw/config/sweep_spec.hpp"
#include "report/generation_report.hpp"
#include "report/run_report.hpp"

namespace npusim::cli {

// A generation point's headline figures, as hw::GenerationResult gives them (a point's record keeps
// them beside the whole generation's report, which has no TTFT or TPOT).
struct GenerationFigures {
  double ttft_ns = 0.0;
  double tpot_mean_ns = 0.0, tpot_first_ns = 0.0, tpot_last_ns = 0.0;
  double decode_tokens_per_s = 0.0;
  double energy_per_token_uj = 0.0;
};
GenerationFigures generation_figures(const hw::GenerationResult& result);

struct PointResult {
  hw::SweepPoint point;
  bool done = false;     // a record vouches for its result (tools/sweep/point_record.hpp)
  bool failed = false;   // a failure is recorded (and no result)
  std::string error;
  std::string unusable;  // why a record that is present was not used ("" when none was refused)
  hw::RunReport report;
  std::optional<GenerationFigures> generation;  // a generation point's (done): TTFT, TPOT and the rest
};

std::string sweep_summary_csv(const hw::SweepSpec& spec, const std::vector<PointResult>& results);

// summary.csv, the charts of report/sweep_charts.hpp under plots/, index.html - each written
// atomically. Returns the plot file names.
std::vector<std::string> write_sweep_outputs(const hw::SweepSpec& spec, const std::vector<PointResult>& results,
                                             const std::string& out_dir);

}  // namespace npusim::cli
