#include "models/lut/universal_lut.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "common/error.hpp"

namespace npusim {

InputRange range_union(const std::vector<InputRange>& ranges) {
  if (ranges.empty()) throw Error("a universal LUT needs at least one instance range");
  InputRange hull = ranges.front();
  for (size_t i = 0; i < ranges.size(); ++i) {
    const InputRange& r = ranges[i];
    if (std::isnan(r.min) || std::isnan(r.max) || !(r.min < r.max)) {
      throw Error("instance range " + std::to_string(i) + " needs min < max, got [" + std::to_string(r.min) + ", " +
                  std::to_string(r.max) + "]");
    }
    hull.min = std::min(hull.min, r.min);
    hull.max = std::max(hull.max, r.max);
  }
  return hull;
}

BespokeLut build_universal_lut(Function f, const std::vector<InputRange>& instance_ranges, const LutOptions& options) {
  const InputRange hull = range_union(instance_ranges);
  return BespokeLut::build(f, hull.min, hull.max, options);
}

}  // namespace npusim
