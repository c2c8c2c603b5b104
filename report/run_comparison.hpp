// Two runs side by side (npusim compare): every figure of report/run_figures.hpp for run A and run B,
// their difference B - A and ratio B / A, as text, CSV and JSON. Runs are paired by engine.
#pragma once

#include <string>
#include <vector>

#include "common/json.hpp"
#include "report/run_report.hpp"

namespace npusim::hw {

struct RunPair {
  std::string engine;  // the engines both runs used ("dsp", "lut", or a per-kind description)
  RunReport a, b;
};

// What `a` and `b` hold in common, engine by engine, in a's order; `unpaired` gets a note per engine
// only one side ran.
std::vector<RunPair> pair_runs(const std::vector<RunReport>& a, const std::vector<RunReport>& b, std::vector<std::string>& unpaired);

std::string compare_text(const std::string& a_name, const std::string& b_name, const std::vector<RunPair>& pairs);
// One row per engine and figure: engine,figure,a,b,difference,ratio (values in the figure's unit, as
// summary.csv has them; empty where a side does not report the figure or A is zero).
std::string compare_csv(const std::vector<RunPair>& pairs);
json::Value compare_json(const std::string& a_name, const std::string& b_name, const std::vector<RunPair>& pairs);

}  // namespace npusim::hw
