// A run's energy from counts of events, each at a per-event energy (EnergyConfig; configs/
// paper_npu.yaml cites the source of each figure). Plain class, no SystemC: the report counts the
// events, this prices them. No static (leakage) energy: there is no published figure for this NPU.
#pragma once

#include <array>
#include <cstdint>

#include "hw/config/hw_config.hpp"
#include "hw/metrics/sram_traffic.hpp"

namespace npusim::hw {

struct EnergyEvents {
  int64_t int8_macs = 0;            // MACs on the INT8 multipliers (an INT16 operand counts once per pass)
  int64_t vector_lane_cycles = 0;   // MAU vector path: busy cycles x lanes (element-wise ops, decompositions)
  SramTraffic sram;                 // bytes read and written per buffer, and through the DSP's local memory
  int64_t dram_bytes = 0;           // read + written
  int64_t lut_lookups = 0;          // Bespoke LUT unit
  int64_t nnlut_lookups = 0;        // NN-LUT unit (comparator search + multiply-add)
  int64_t lutnn_lookups = 0;        // LUT-NN linear layers: one INT8 table read and add each
  int64_t dsp_lane_cycles = 0;      // DSP: busy cycles x lanes
};

// Energy per part, in microjoules.
struct EnergyBreakdown {
  double mac_uj = 0.0;
  double vector_uj = 0.0;
  double sram_uj = 0.0;
  double dram_uj = 0.0;
  double lut_uj = 0.0;
  double nnlut_uj = 0.0;
  double lutnn_uj = 0.0;
  double dsp_uj = 0.0;              // DSP lanes and the DSP's local memory

  double total_uj() const { return mac_uj + vector_uj + sram_uj + dram_uj + lut_uj + nnlut_uj + lutnn_uj + dsp_uj; }
};

class EnergyModel {
 public:
  explicit EnergyModel(const EnergyConfig& config) : config_(config) {}
  EnergyBreakdown energy(const EnergyEvents& events) const;

 private:
  EnergyConfig config_;
};

}  // namespace npusim::hw
