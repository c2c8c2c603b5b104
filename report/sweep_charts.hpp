// The charts of a sweep, built from its point results (no files touched): what each total is made of,
// latency and LUT-over-DSP speedup along each axis, and the headline numbers index.html shows.
#pragma once

#include <string>
#include <vector>

#include "hw/config/sweep_spec.hpp"
#include "report/sweep_report.hpp"

namespace npusim::cli {

struct SweepChart {
  std::string file;     // under plots/, e.g. "breakdown_vit_base.svg"
  std::string caption;  // what it shows and how to read it
  std::string svg;
};

struct SweepCharts {
  std::vector<SweepChart> charts;
  std::vector<std::string> notes;  // charts left out, and why
};

// The paper's ViT-Base block (SPEC 4), DSP vs LUT total latency at two DRAM bandwidths.
struct PublishedSpeedup {
  double bandwidth_gbps, dsp_ms, lut_ms;
};
extern const PublishedSpeedup kPaperVitBaseSpeedups[2];

// An axis whose values are numbers in a constant ratio (a range with a factor): drawn on a log scale.
bool is_geometric(const std::vector<std::string>& values);

// breakdown_<workload>.svg (a bar per point: the critical path, overlapped busy time beside it),
// latency_vs_<axis>.svg (small multiples, one panel per workload), speedup_vs_<axis>.svg (LUT over DSP,
// one line per workload; published points on the bandwidth chart when the sweep covers the paper NPU),
// speedup_<workload>.svg (heat maps over the first two axes of a cartesian sweep).
SweepCharts sweep_charts(const hw::SweepSpec& spec, const std::vector<PointResult>& results);

// Per workload, the point where the LUT gains most over the DSP (same axis values, both done).
struct SweepHeadline {
  std::string workload;
  bool found = false;  // no DSP/LUT pair done for this workload
  double speedup = 0.0, dsp_ms = 0.0, lut_ms = 0.0;
  double dsp_nonlinear_share = 0.0, lut_nonlinear_share = 0.0;
  std::string at;  // "dram.bandwidth_gbps=32, lut_unit.lanes=8", or "base config" without axes
};
std::vector<SweepHeadline> sweep_headlines(const hw::SweepSpec& spec, const std::vector<PointResult>& results);

}  // namespace npusim::cli
