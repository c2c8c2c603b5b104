#include "report/run_figures.hpp"

#include <algorithm>

namespace npusim::hw {

const std::vector<EnergyPart>& energy_parts() {
  static const std::vector<EnergyPart> parts = {
      {"mac_energy_uj", "mac_uj", "MAC array", &EnergyBreakdown::mac_uj},
      {"vector_energy_uj", "vector_uj", "vector path", &EnergyBreakdown::vector_uj},
      {"sram_energy_uj", "sram_uj", "SRAM", &EnergyBreakdown::sram_uj},
      {"dram_energy_uj", "dram_uj", "DRAM", &EnergyBreakdown::dram_uj},
      {"lut_energy_uj", "lut_uj", "LUT unit", &EnergyBreakdown::lut_uj},
      {"nnlut_energy_uj", "nnlut_uj", "NN-LUT unit", &EnergyBreakdown::nnlut_uj},
      {"lutnn_energy_uj", "lutnn_uj", "LUT-NN lookups", &EnergyBreakdown::lutnn_uj},
      {"dsp_energy_uj", "dsp_uj", "DSP", &EnergyBreakdown::dsp_uj},
  };
  return parts;
}

std::vector<RunFigure> run_figures(const std::vector<RunReport>& runs) {
  using Value = std::optional<double>;
  std::vector<RunFigure> f;
  f.push_back({"total latency (ms)", "total_ms", 1, 3, [](const RunReport& r) -> Value { return r.total_ms(); }});
  f.push_back({"critical path: each instant to the first busy category, adding up to the total", "", 1, 0, {}});
  for (const Category c : kCriticalPriority) {
    const std::string name(category_name(c));
    f.push_back({"  " + name + " (ms)", "critical_" + name + "_ms", 1, 3,
                 [c](const RunReport& r) -> Value { return r.critical_ns[static_cast<size_t>(c)] * 1e-6; }});
  }
  f.push_back({"  idle: nothing busy (ms)", "critical_idle_ms", 1, 3, [](const RunReport& r) -> Value { return r.critical_idle_ns * 1e-6; }});
  f.push_back({"busy time: units work at the same time, so these overlap", "", 1, 0, {}});
  f.push_back({"  non-linear ops (ms)", "nonlinear_ms", 1, 3, [](const RunReport& r) -> Value { return r.nonlinear_ns * 1e-6; }});
  f.push_back({"  non-linear share (%)", "nonlinear_share", 100, 2, [](const RunReport& r) -> Value { return r.nonlinear_share; }});
  f.push_back({"  communication (ms)", "communication_ms", 1, 3, [](const RunReport& r) -> Value { return r.communication_ns * 1e-6; }});
  f.push_back({"  overlapped (ms)", "overlapped_ms", 1, 3, [](const RunReport& r) -> Value { return r.overlapped_ns * 1e-6; }});
  f.push_back({"DRAM traffic (MB)", "dram_bytes", 1e-6, 2, [](const RunReport& r) -> Value { return static_cast<double>(r.dram_bytes); }});
  f.push_back({"MAU utilisation (%)", "mau_utilization", 100, 1, [](const RunReport& r) -> Value { return r.mau_utilization; }});
  f.push_back({"table lookups / cycle", "table_lookups_per_cycle", 1, 2, [](const RunReport& r) -> Value {
                 return r.table_lookups > 0 ? Value(r.table_lookups_per_cycle()) : std::nullopt;
               }});
  std::vector<std::string> units;  // every run's units, in the order they first appear
  for (const RunReport& r : runs) {
    for (const auto& [unit, fraction] : r.unit_busy_fraction) {
      if (std::find(units.begin(), units.end(), unit) == units.end()) units.push_back(unit);
    }
  }
  for (const std::string& unit : units) {
    std::string column = unit;
    for (char& ch : column) ch = ch == '.' ? '_' : ch;
    f.push_back({"busy " + unit + " (%)", column + "_busy_fraction", 100, 1, [unit](const RunReport& r) -> Value {
                   for (const auto& [u, v] : r.unit_busy_fraction) {
                     if (u == unit) return v;
                   }
                   return std::nullopt;
                 }});
  }
  f.push_back({"energy (uJ)", "energy_uj", 1, 1, [](const RunReport& r) -> Value {
                 return r.has_energy ? Value(r.energy.total_uj()) : std::nullopt;
               }});
  for (const EnergyPart& part : energy_parts()) {
    f.push_back({std::string("  ") + part.label + " (uJ)", part.column, 1, 1, [uj = part.uj](const RunReport& r) -> Value {
                   return r.has_energy ? Value(r.energy.*uj) : std::nullopt;
                 }});
  }
  return f;
}

}  // namespace npusim::hw
