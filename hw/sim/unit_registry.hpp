// Unit models by slot ("mau", "lut_unit", "nnlut_unit", "lutnn_unit", "dsp", "dma", "dram"): npusim's own,
// and those a plugin registers. A config chooses a slot's model by name (`dram.model: mine`); the NPU top
// asks the registry for it. A plugin is a shared library, loaded with `npusim run --plugin FILE`, whose
// static initialisers call NPUSIM_REGISTER_UNIT (examples/ has one, and docs/user-guide.md shows how to build it).
//
// What a slot's module must hold: "mau" a module with unit children `array` and `vector`; "dsp" a unit
// with a unit child `link`; "lut_unit", "nnlut_unit", "lutnn_unit" a unit (hw/sim/units/unit.hpp); "dma"
// a unit serving DmaCommands with an initiator socket `dram_socket`; "dram" a module with a TLM-2.0
// target socket `socket` (derive from DramTarget, hw/sim/units/dram.hpp, to be counted in the reports).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include <systemc>

#include "hw/sim/units/unit.hpp"

namespace npusim::hw {

using UnitFactory = std::function<std::unique_ptr<sc_core::sc_module>(const char* name, const UnitContext& context)>;

// Registers (or replaces) `model` for `slot`; returns true, so that it can initialise a static.
bool register_unit_model(const std::string& slot, const std::string& model, UnitFactory factory);

// The module of `slot`'s chosen model, named `slot` under the module being elaborated. Throws
// npusim::Error naming the known models when none is registered under that name.
std::unique_ptr<sc_core::sc_module> make_unit(const std::string& slot, const std::string& model, const UnitContext& context);

// Loads a plugin (a shared library that registers unit models); throws npusim::Error when it cannot.
void load_plugin(const std::string& path);

}  // namespace npusim::hw

// In a plugin's source file: NPUSIM_REGISTER_UNIT("dram", "fixed_latency", FixedLatencyDram); where the
// type has a constructor (sc_core::sc_module_name, const npusim::hw::UnitContext&).
#define NPUSIM_REGISTER_UNIT(slot, model, Type)                                                                  \
  static const bool npusim_unit_registered_##Type = ::npusim::hw::register_unit_model(                          \
      slot, model, [](const char* name, const ::npusim::hw::UnitContext& context) -> std::unique_ptr<sc_core::sc_module> { \
        return std::make_unique<Type>(name, context);                                                            \
      })
