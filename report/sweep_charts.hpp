// The charts of a sweep, built from its point results (no files touched): what each total is made of,
// latency, energy and LUT-over-DSP speedup along each axis, and the headline numbers index.html shows.
#pragma once

#include <string>
#include <vector>

#include "hw/config/sweep_spec.hpp"
#include "report/sweep_report.hpp"

namespace npusim::cli {

struct SweepChart {
  std::string file;     // under plots/, e.g. "breakdown_vit_base.svg"
  std::string caption;  // what it shows and how to read it, what it holds fixed
  std::string svg;
  bool beside_next = false;  // index.html shows it and the next chart side by side (latency and energy)
};

struct SweepCharts {
  std::vector<SweepChart> charts;
  std::vector<std::string> notes;  // charts left out or thinned, and why; what the sweep holds fixed
};

// The paper's ViT-Base block, DSP vs LUT total latency at two DRAM bandwidths.
struct PublishedSpeedup {
  double bandwidth_gbps, dsp_ms, lut_ms;
};
extern const PublishedSpeedup kPaperVitBaseSpeedups[2];

// An axis whose values are numbers in a constant ratio (a range with a factor).
bool is_geometric(const std::vector<std::string>& values);

// breakdown_<workload>.svg (the critical path of each distinct result, grouped by axis value, DSP and LUT
// side by side), latency_vs_<axis>.svg and energy_vs_<axis>.svg (small multiples, one panel per
// workload; a sweep of generations has tpot_vs_<axis>.svg and ttft_vs_<axis>.svg before them),
// speedup_vs_<axis>.svg (LUT over DSP, one line per workload, the 1.0 line; published points on the
// bandwidth chart when the sweep runs the paper NPU), speedup_<workload>.svg (heat maps over the first
// two axes of a cartesian sweep).
SweepCharts sweep_charts(const hw::SweepSpec& spec, const std::vector<PointResult>& results);

// A DSP/LUT pair of one workload at one point of the sweep.
struct HeadlinePoint {
  bool found = false;  // no DSP/LUT pair done there
  double speedup = 0.0, dsp_ms = 0.0, lut_ms = 0.0;
  double dsp_nonlinear_share = 0.0, lut_nonlinear_share = 0.0;
  bool has_energy = false;
  double dsp_uj = 0.0, lut_uj = 0.0;
  std::string at;        // every axis named: "dram.bandwidth_gbps=3, lut_unit.lanes=8", or "base config"
  bool at_edge = false;  // a numeric axis at its first or last value: the gain may go on beyond the sweep
};

// Per workload, the paper NPU's operating point (when the sweep runs it: the paper's base config and
// each axis at the paper's value) and the point where the LUT gains most over the DSP.
struct SweepHeadline {
  std::string workload;
  HeadlinePoint paper;
  HeadlinePoint best;
};
std::vector<SweepHeadline> sweep_headlines(const hw::SweepSpec& spec, const std::vector<PointResult>& results);

// What the sweep holds fixed that a reader must know: for an array-size sweep, the SRAM buffers (held at
// their sizes, or grown with the array under sram.scale_with_array); "" when nothing needs saying.
std::string held_fixed_note(const hw::SweepSpec& spec);

}  // namespace npusim::cli
