// The testbench port protocol of each LUT unit's RTL, written into its golden-vector manifest so an
// RTL team can drive the unit from the manifest alone: module, parameters, ports, reset, table load,
// stimulus, latency and how outputs are collected for `npusim check-rtl`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace npusim {

// unit: bespoke_lut, bespoke_rr_lut or nnlut. index_bits and has_dual describe a Bespoke table;
// function (reciprocal or rsqrt) the range-reduced unit; segments and shift the NN-LUT table.
struct PortProtocolParameters {
  int index_bits = 8;
  bool has_dual = false;
  bool rsqrt = false;
  int segments = 16;
  int shift = 0;
};
nlohmann::ordered_json golden_port_protocol(const std::string& unit, const PortProtocolParameters& p);

}  // namespace npusim
