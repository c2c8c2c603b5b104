// Sweep specs: parse (the base config resolves beside the shipped specs); what parses is counted and,
// within the limit, expanded into points and run arguments.
#include "hw/config/sweep_spec.hpp"
#include "common/error.hpp"
#include "tests/fuzz/harnesses.hpp"

namespace npusim::fuzz {

void sweep_spec(std::string_view data) {
  hw::SweepSpec spec;
  try {
    spec = hw::parse_sweep_spec(std::string(data), std::string(NPUSIM_SOURCE_DIR) + "/configs/sweeps/fuzz.yaml");
  } catch (const Error&) {
    return;
  }
  const int64_t count = spec.point_count();
  if (count > hw::kMaxSweepPoints) invariant_broken("a spec above the point limit was accepted");
  if (count > 10000) return;  // expanding is tested on smaller specs; this keeps each input fast
  const auto points = spec.points();
  if (static_cast<int64_t>(points.size()) != count) invariant_broken("point_count() disagrees with points()");
  for (const auto& p : points) spec.run_args(p);
}

}  // namespace npusim::fuzz
