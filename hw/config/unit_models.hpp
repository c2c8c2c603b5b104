// The names of the unit models a config may choose (`dram.model`, `lut_unit.model`): npusim's own, and
// those a plugin registers with its SystemC module (hw/sim/unit_registry.hpp), so that a config naming a
// model nobody registered is refused where it is read, with its line and column.
#pragma once

#include <string>
#include <vector>

namespace npusim::hw {

// In the order they were registered, npusim's own first.
std::vector<std::string> unit_model_names(const std::string& slot);
void add_unit_model_name(const std::string& slot, const std::string& model);

}  // namespace npusim::hw
