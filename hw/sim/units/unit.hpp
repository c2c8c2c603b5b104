// A unit of the NPU as the command processor sees it: an sc_module behind a TLM-2.0 target socket that
// takes generic payloads carrying an EngineCommand (hw/sim/engine_command.hpp) and returns once the
// work is done (loosely timed, blocking transport). A unit records what it did in the activity log
// under its path below the NPU top ("mau.array", "dsp.link"), which is its sc_object name without the
// top's.
#pragma once

#include <string>
#include <vector>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include "hw/config/hw_config.hpp"
#include "hw/metrics/activity.hpp"
#include "hw/sim/arbiter.hpp"
#include "hw/sim/engine_command.hpp"

namespace npusim::hw {

// What every unit model gets from the NPU that elaborates it.
struct UnitContext {
  const HwConfig& config;
  ActivityLog& log;
  Arbiter& arbiter;
};

class Unit : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<Unit> socket;

  UnitRole role() const { return role_; }
  // The object's name below the NPU top: "npu.mau.array" -> "mau.array".
  std::string path() const;
  // The names its activities carry (a DMA engine: one per channel).
  virtual std::vector<UnitInfo> activity_units() const { return {{path(), role_}}; }

 protected:
  Unit(sc_core::sc_module_name name, UnitRole role);

  // Serves one command; blocks the calling thread until the unit has done it.
  virtual void serve(tlm::tlm_generic_payload& payload) = 0;

  // The payload's EngineCommand; a payload without one is an error of the initiator.
  EngineCommand& command_of(tlm::tlm_generic_payload& payload) const;

 private:
  void b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay);

  UnitRole role_;
};

// The path below the NPU top of any object.
std::string path_below_top(const sc_core::sc_object& object);

}  // namespace npusim::hw
