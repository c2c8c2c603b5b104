// Time to move bytes over a link of a given bandwidth: bytes / (GB/s) = ns. The one formula every cost
// model, the planner and the DRAM schedule use, so that they cannot drift apart.
#pragma once

#include <cstdint>

namespace npusim::hw {

inline double transfer_ns(int64_t bytes, double bandwidth_gbps) { return static_cast<double>(bytes) / bandwidth_gbps; }

}  // namespace npusim::hw
