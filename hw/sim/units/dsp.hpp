// The DSP beside the MAU: vector lanes with a per-function instruction cost per element and int/float
// conversions (priced by the plan, hw/cost/nonlinear_timing), and a local memory through which an op's
// data move in chunks. Its child `dsp.link` is the on-chip path between the MAU's buffers and the DSP's
// local memory (dsp.transfer_path onchip): a link busy for the time its bytes take at its bandwidth.
#pragma once

#include "hw/sim/unit_schedule.hpp"
#include "hw/sim/units/unit.hpp"

namespace npusim::hw {

class DspLink : public Unit {
 public:
  DspLink(sc_core::sc_module_name name, const UnitContext& context);

 protected:
  void serve(tlm::tlm_generic_payload& payload) override;

 private:
  UnitSchedule schedule_;
  double bandwidth_gbps_;
  double cycle_ns_;
};

class Dsp : public Unit {
 public:
  Dsp(sc_core::sc_module_name name, const UnitContext& context);

  DspLink link;

 protected:
  void serve(tlm::tlm_generic_payload& payload) override;

 private:
  UnitSchedule schedule_;
};

}  // namespace npusim::hw
