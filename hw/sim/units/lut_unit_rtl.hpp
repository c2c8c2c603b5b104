// Co-simulation: the Bespoke LUT unit's RTL (hw/rtl/bespoke_lut_unit.v, Verilator's SystemC output) in
// place of the C++ lookup. With `lut_unit.model: rtl`, a functional run loads each checked table
// through the RTL's load port and streams the stimulus through its pipeline on its own clock; the
// outputs are checked against the reference like the C++ unit's. Built when Verilator is found.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <systemc>

#include "models/lut/bespoke_lut.hpp"

class Vbespoke_lut_unit;

namespace npusim::hw {

class LutUnitRtl : public sc_core::sc_module {
 public:
  static constexpr int kLanes = 4;  // matches -GLANES of the Verilated model (CMakeLists.txt)

  LutUnitRtl(sc_core::sc_module_name name, double clock_ns);
  ~LutUnitRtl() override;

  // Called from an SC_THREAD; advances simulated time by the RTL's cycles.
  std::vector<int16_t> compute(const BespokeLut& lut, const std::vector<uint16_t>& codes);

  // Whether this npusim was built with the Verilated RTL.
  static bool available();

 private:
  void cycle();  // one clock: inputs sampled at the rising edge, outputs read at the falling edge

  sc_core::sc_clock clock_;
  // Written from whichever op's thread checks a table; the mutex keeps one of them at a time.
  template <class T>
  using Wire = sc_core::sc_signal<T, sc_core::SC_MANY_WRITERS>;
  Wire<bool> rst_n_, load_en_, load_dual_, dual_enable_, in_valid_;
  sc_core::sc_signal<bool> out_valid_;
  Wire<uint32_t> load_addr_, load_data_;
  Wire<uint64_t> in_code_;
  sc_core::sc_signal<uint64_t> out_data_;
  sc_core::sc_mutex busy_;
  std::unique_ptr<Vbespoke_lut_unit> rtl_;
  bool reset_done_ = false;
};

}  // namespace npusim::hw
