// The paper NPU's calibrated constants, each with the range its sources leave it in: the one place
// those ranges are declared. `npusim run --sensitivity` moves each constant to the ends of its range;
// docs/calibration.md gives the sources in full and the residuals at the published points.
#pragma once

#include <vector>

namespace npusim::hw {

struct CalibratedConstant {
  const char* path;     // the config field (hw/config/hw_config_io.hpp), e.g. "dram.efficiency"
  double low, high;     // plausible range, in the field's unit; configs/paper_npu.yaml's value lies in it
  const char* source;   // where the value and the range come from, in a few words
};

// In the order docs/calibration.md lists them.
const std::vector<CalibratedConstant>& calibrated_constants();

}  // namespace npusim::hw
