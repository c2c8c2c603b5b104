// What a sweep leaves behind: one folder per point (result.json or error.txt), read back as point results.
#pragma once

#include <string>
#include <vector>

#include "hw/config/sweep_spec.hpp"
#include "report/sweep_report.hpp"

namespace npusim::cli {

std::string point_dir(const std::string& out_dir, const hw::SweepPoint& point);

// Reads each point's files from the first of `dirs` that has a usable result (else its error.txt).
std::vector<PointResult> collect_results(const hw::SweepSpec& spec, const std::vector<hw::SweepPoint>& points,
                                         const std::vector<std::string>& dirs);

}  // namespace npusim::cli
