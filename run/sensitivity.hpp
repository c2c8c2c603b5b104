// How far a conclusion holds whatever the unknowns are: the run repeated with each calibrated constant
// (hw/config/calibration.hpp) at the low and the high end of its plausible range, one at a time, every
// engine side by side as the run itself. `npusim run --sensitivity` prints it.
#pragma once

#include <string>
#include <vector>

#include "hw/config/calibration.hpp"
#include "run/run_request.hpp"

namespace npusim::run {

struct SensitivityPoint {
  std::string path;             // the constant moved; "" for the run as configured
  std::string value;            // its value there, as --set would take it
  std::vector<double> total_ns;  // per engine, in the run's order
};

struct Sensitivity {
  std::vector<std::string> engines;
  SensitivityPoint base;
  std::vector<SensitivityPoint> points;  // per constant: low end, then high end

  // The first engine's total over the last's (the comparison's speedup); 1 with one engine.
  static double speedup(const SensitivityPoint& point);
};

// Runs `run` as resolved, then once per end of each constant's range. Throws npusim::Error when a run
// fails (naming the constant and value) or when a constant is not a numeric config field.
Sensitivity sensitivity(const ResolvedRun& run, const std::vector<hw::CalibratedConstant>& constants);

// One row per point: each engine's total and its change from the base, and the speedup and its change.
std::string sensitivity_text(const Sensitivity& result);

}  // namespace npusim::run
