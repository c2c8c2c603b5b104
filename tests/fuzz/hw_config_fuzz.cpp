// Hardware configs: parse; what parses must dump and parse back to the same dump.
#include "hw/config/hw_config_io.hpp"
#include "common/error.hpp"
#include "tests/fuzz/harnesses.hpp"

namespace npusim::fuzz {

void hw_config(std::string_view data) {
  hw::HwConfig config;
  std::vector<std::string> not_given;
  try {
    config = hw::parse_hw_config(std::string(data), "fuzz.yaml", &not_given);
  } catch (const Error&) {
    return;
  }
  hw::defaults_note("fuzz.yaml", not_given);
  const std::string dumped = hw::dump_hw_config(config);
  try {
    if (hw::dump_hw_config(hw::parse_hw_config(dumped, "dump.yaml")) != dumped) invariant_broken("a dumped config reads back differently");
  } catch (const Error&) {
    invariant_broken("a dumped config does not read back");
  }
}

}  // namespace npusim::fuzz
