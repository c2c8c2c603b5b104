// Traces: parse; what parses has statistics, and writes and reads back to the same YAML.
#include "common/error.hpp"
#include "tests/fuzz/harnesses.hpp"
#include "workloads/trace_stats.hpp"
#include "workloads/trace_yaml.hpp"

namespace npusim::fuzz {

void trace(std::string_view data) {
  workloads::Trace t;
  try {
    t = workloads::parse_trace(std::string(data), "fuzz.yaml");
  } catch (const Error&) {
    return;
  }
  workloads::trace_stats(t);
  const std::string yaml = workloads::trace_to_yaml(t);
  try {
    if (workloads::trace_to_yaml(workloads::parse_trace(yaml, "again.yaml")) != yaml) invariant_broken("a written trace reads back differently");
  } catch (const Error& e) {
    invariant_broken("a written trace does not read back");
  }
}

}  // namespace npusim::fuzz
