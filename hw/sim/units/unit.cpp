#include "hw/sim/units/unit.hpp"

namespace npusim::hw {

std::string path_below_top(const sc_core::sc_object& object) {
  const std::string name = object.name();
  const size_t dot = name.find('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

Unit::Unit(sc_core::sc_module_name name, UnitRole role) : sc_core::sc_module(name), socket("socket"), role_(role) {
  socket.register_b_transport(this, &Unit::b_transport);
}

std::string Unit::path() const { return path_below_top(*this); }

EngineCommand& Unit::command_of(tlm::tlm_generic_payload& payload) const {
  EngineCommand* command = nullptr;
  payload.get_extension(command);
  if (command != nullptr) return *command;
  // The simulation stops at the end of this delta (hw/sim/simulation.cpp); until then the unit idles.
  SC_REPORT_ERROR("npusim/sim", (path() + ": a payload without an engine command").c_str());
  static EngineCommand idle;
  idle = EngineCommand();
  return idle;
}

void Unit::b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
  // Loosely timed: a delay the initiator annotated passes before the unit takes the command.
  if (delay != sc_core::SC_ZERO_TIME) {
    sc_core::wait(delay);
    delay = sc_core::SC_ZERO_TIME;
  }
  serve(payload);
  payload.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace npusim::hw
