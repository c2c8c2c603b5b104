// What a sweep leaves behind: one folder per point (result.json or error.txt), and from them the
// summary CSV (one row per point, in point order), the plots and an index.html.
#pragma once

#include <string>
#include <vector>

#include "hw/report.hpp"
#include "hw/sweep_spec.hpp"

namespace npusim::cli {

struct PointResult {
  hw::SweepPoint point;
  bool done = false;     // a result.json that its point.json vouches for (tools/sweep/point_record.hpp)
  bool failed = false;   // error.txt present (and no result)
  std::string error;
  std::string unusable;  // why a result.json that is present was not used ("" when none was refused)
  hw::RunReport report;
};

std::string point_dir(const std::string& out_dir, const hw::SweepPoint& point);

// Reads each point's files from the first of `dirs` that has a usable result (else its error.txt).
std::vector<PointResult> collect_results(const hw::SweepSpec& spec, const std::vector<hw::SweepPoint>& points,
                                         const std::vector<std::string>& dirs);

std::string sweep_summary_csv(const hw::SweepSpec& spec, const std::vector<PointResult>& results);

// summary.csv, the charts of tools/sweep/sweep_charts.hpp under plots/, index.html - each written
// atomically. Returns the plot file names.
std::vector<std::string> write_sweep_outputs(const hw::SweepSpec& spec, const std::vector<PointResult>& results,
                                             const std::string& out_dir);

}  // namespace npusim::cli
