// Calibration files: per-instance min/max (optionally EMA statistics) of each non-linear op's LUT
// inputs, from a user's PTQ flow, merged into a trace in place of its ranges.
//
//   format: npusim-calibration
//   version: 1
//   instances:
//     - layer: blocks.0.attn.softmax   # the op's layer path (or id)
//       function: exp                  # one of the op's LUT functions
//       min: -12.5
//       max: 0
//       ema_min: -11.0                 # optional
//       ema_max: 0
#pragma once

#include <string>

#include "workloads/trace.hpp"

namespace npusim::workloads {

// Strict reading and merging: unknown keys, layers the trace lacks, functions the op does not use and
// bad ranges are "file:line:column: message" errors. Returns how many ranges were replaced.
int merge_calibration(Trace& trace, const std::string& yaml_text, const std::string& source_name);
int merge_calibration_file(Trace& trace, const std::string& path);

}  // namespace npusim::workloads
