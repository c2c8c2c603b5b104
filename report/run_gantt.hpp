// A run's static timeline: one row per op (per layer group when a run has more ops than fit) from its
// first activity to its last, coloured by the engine that ran it. `npusim run --out DIR` writes it as
// DIR/timeline.svg; ui.perfetto.dev shows the same run unit by unit from --timeline.
#pragma once

#include <string>

#include "report/run_report.hpp"

namespace npusim::hw {

constexpr size_t kGanttMaxRows = 120;  // more ops than this: one row per layer group

std::string run_gantt_svg(const RunReport& report);

}  // namespace npusim::hw
