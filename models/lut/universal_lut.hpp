// The universal LUT (SPEC 2.4): the baseline the Bespoke LUT improves on. One table per function type
// for the whole model, built over the union of all its instances' ranges.
#pragma once

#include <vector>

#include "models/lut/bespoke_lut.hpp"

namespace npusim {

struct InputRange {
  double min = 0.0;
  double max = 0.0;
};

// The smallest range covering every instance range; throws for an empty list or a bad range.
InputRange range_union(const std::vector<InputRange>& ranges);

BespokeLut build_universal_lut(Function f, const std::vector<InputRange>& instance_ranges,
                               const LutOptions& options = {});

}  // namespace npusim
