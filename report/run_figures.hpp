// The figures of a run report in the order reports show them: the total and what it is made of (the
// critical path, adding up to it) first, then busy times, traffic, utilisation and energy. Each figure
// has one name in every output: its summary.csv column (and compare's CSV/JSON key), and a console label
// that says what it is. comparison_text (run side by side) and compare_text (two run folders) print them.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "report/run_report.hpp"

namespace npusim::hw {

struct RunFigure {
  std::string label;     // console: "total latency (ms)", "  weight_dma (ms)"; a heading has no value
  std::string key;       // summary.csv column: "total_ms", "critical_weight_dma_ms"; empty for a heading
  double scale = 1.0;    // console value = value * scale (ms from ms, % from a fraction, MB from bytes)
  int decimals = 3;      // console decimals
  std::function<std::optional<double>(const RunReport&)> value;  // in the key's unit; nullopt: not reported
  bool heading() const { return key.empty(); }
};

// The figures of `runs` (busy fractions of every unit any of them has).
std::vector<RunFigure> run_figures(const std::vector<RunReport>& runs);

// The energy parts of EnergyBreakdown: summary.csv column, JSON key, console label.
struct EnergyPart {
  const char* column;  // "mac_energy_uj"
  const char* json_key;  // "mac_uj"
  const char* label;   // "MAC array"
  double EnergyBreakdown::*uj;
};
const std::vector<EnergyPart>& energy_parts();

}  // namespace npusim::hw
