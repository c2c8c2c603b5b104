// index.html of a sweep folder: styled with inline CSS and nothing fetched, a headline table (per
// workload the best LUT-over-DSP speedup, where, and the non-linear share there) and, for a sweep of
// generations, each point's TTFT and TPOT above the charts, which it shows from plots/ with their captions.
#pragma once

#include <string>
#include <vector>

#include "hw/config/sweep_spec.hpp"
#include "report/sweep_charts.hpp"
#include "report/sweep_report.hpp"

namespace npusim::cli {

std::string sweep_index_html(const hw::SweepSpec& spec, const std::vector<PointResult>& results, const SweepCharts& charts);

}  // namespace npusim::cli
