#include "run/sensitivity.hpp"

#include <cmath>

#include "common/error.hpp"
#include "hw/config/hw_config_io.hpp"
#include "report/text_format.hpp"
#include "report/text_table.hpp"

namespace npusim::run {

namespace {

// The value as --set takes it: integer fields as whole numbers.
std::string value_text(const hw::ConfigField& field, double value) {
  if (field.kind == hw::ConfigField::Kind::integer) return std::to_string(std::llround(value));
  return cli::format_number(value, 6);
}

SensitivityPoint run_variant(const ResolvedRun& run, const std::string& path, const std::string& value) {
  std::vector<EngineRun> engines = run.engines;
  if (!path.empty()) {
    for (EngineRun& engine : engines) hw::set_config_value(engine.config, path, value, "--sensitivity " + path);
  }
  SensitivityPoint point{path, value, {}};
  for (const EngineOutcome& outcome : run_side_by_side(engines, run.trace, run.options, {})) {
    if (!outcome.ok) {
      throw Error("--sensitivity: the " + outcome.engine + " run" + (path.empty() ? "" : " with " + path + "=" + value) +
                  " failed: " + outcome.error);
    }
    point.total_ns.push_back(outcome.result.report.total_ns);
  }
  return point;
}

std::string change_text(double now, double base) {
  if (!(base > 0)) return "";
  const double percent = 100.0 * (now / base - 1.0);
  return (percent >= 0 ? "+" : "") + hw::fixed(percent, 1) + " %";
}

}  // namespace

double Sensitivity::speedup(const SensitivityPoint& point) {
  if (point.total_ns.size() < 2 || !(point.total_ns.back() > 0)) return 1.0;
  return point.total_ns.front() / point.total_ns.back();
}

Sensitivity sensitivity(const ResolvedRun& run, const std::vector<hw::CalibratedConstant>& constants) {
  Sensitivity result;
  for (const EngineRun& engine : run.engines) result.engines.push_back(engine.engine);
  result.base = run_variant(run, "", "");
  for (const hw::CalibratedConstant& constant : constants) {
    const hw::ConfigField* field = hw::find_config_field(constant.path);
    if (field == nullptr || (field->kind != hw::ConfigField::Kind::real && field->kind != hw::ConfigField::Kind::integer)) {
      throw Error(std::string("--sensitivity: ") + constant.path + " is not a numeric config field");
    }
    for (const double end : {constant.low, constant.high}) result.points.push_back(run_variant(run, constant.path, value_text(*field, end)));
  }
  return result;
}

std::string sensitivity_text(const Sensitivity& result) {
  std::vector<std::string> header = {"constant", "value"};
  for (const std::string& engine : result.engines) {
    header.push_back(engine + " total (ms)");
    header.push_back(engine + " change");
  }
  const bool side_by_side = result.engines.size() > 1;
  if (side_by_side) header.insert(header.end(), {result.engines.front() + "/" + result.engines.back() + " speedup", "change"});
  cli::TextTable table(header);
  const auto row = [&](const SensitivityPoint& p) {
    std::vector<std::string> cells = {p.path.empty() ? "(as configured)" : p.path, p.value};
    for (size_t e = 0; e < p.total_ns.size(); ++e) {
      cells.push_back(hw::fixed(p.total_ns[e] * 1e-6));
      cells.push_back(p.path.empty() ? "" : change_text(p.total_ns[e], result.base.total_ns[e]));
    }
    if (side_by_side) {
      cells.push_back(hw::fixed(Sensitivity::speedup(p), 3) + "x");
      cells.push_back(p.path.empty() ? "" : change_text(Sensitivity::speedup(p), Sensitivity::speedup(result.base)));
    }
    table.add_row(cells);
  };
  row(result.base);
  for (const SensitivityPoint& p : result.points) row(p);
  std::string text = "sensitivity: each calibrated constant at the ends of its plausible range (hw/config/calibration.cpp), the others as configured\n";
  text += table.render();
  // The widest swing of the speedup over all constants: what no unknown in its range can overturn.
  if (side_by_side && !result.points.empty()) {
    double low = Sensitivity::speedup(result.base), high = low;
    for (const SensitivityPoint& p : result.points) {
      low = std::min(low, Sensitivity::speedup(p));
      high = std::max(high, Sensitivity::speedup(p));
    }
    text += "  speedup over every constant's range: " + hw::fixed(low, 3) + "x to " + hw::fixed(high, 3) + "x\n";
  }
  return text;
}

}  // namespace npusim::run
