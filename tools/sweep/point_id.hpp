// Sweep point ids derived from what a point runs - its workload, its engine and its resolved config (the
// base config with the point's axis values applied, every field) - not from its position in the spec: a
// point keeps its id, and so its result, when the spec is edited around it (a value added to an axis, an
// axis or a workload reordered, an axis added at the base config's value), so `sweep --resume`
// recomputes exactly the new and changed points.
#pragma once

#include <string>
#include <vector>

#include "hw/config/hw_config.hpp"
#include "hw/config/sweep_spec.hpp"

namespace npusim::cli {

// "p" and 16 hex digits of the SHA-256 of the point's workload (model, tokens, full; or trace path), its
// engine and every field of its resolved config ("3", "3.0" and "3e0" are one value). A point whose
// values the config refuses is named by its "path=value" pairs instead (it fails when it runs).
std::string content_id(const hw::SweepSpec& spec, const hw::HwConfig& base, const hw::SweepPoint& point);

// spec.points() (in the spec's order, which shards and the summary keep) with content ids. Throws
// npusim::Error when two points would share an id (they would run the same simulation).
std::vector<hw::SweepPoint> sweep_points(const hw::SweepSpec& spec);

}  // namespace npusim::cli
