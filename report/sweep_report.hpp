// What a sweep's results become: the summary CSV (one row per point, in point order, every row with the
// header's fields), the plots and an index.html, from each point's result (or its error).
#pragma once

#include <string>
#include <vector>

#include "hw/config/sweep_spec.hpp"
#include "report/run_report.hpp"

namespace npusim::cli {

struct PointResult {
  hw::SweepPoint point;
  bool done = false;     // a record vouches for its result (tools/sweep/point_record.hpp)
  bool failed = false;   // a failure is recorded (and no result)
  std::string error;
  std::string unusable;  // why a record that is present was not used ("" when none was refused)
  hw::RunReport report;
};

std::string sweep_summary_csv(const hw::SweepSpec& spec, const std::vector<PointResult>& results);

// summary.csv, the charts of report/sweep_charts.hpp under plots/, index.html - each written
// atomically. Returns the plot file names.
std::vector<std::string> write_sweep_outputs(const hw::SweepSpec& spec, const std::vector<PointResult>& results,
                                             const std::string& out_dir);

}  // namespace npusim::cli
