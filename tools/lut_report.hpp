// Text reports of Bespoke LUTs, shared by `npusim lut` and the default job.
#pragma once

#include <string>

#include "models/lut/bespoke_lut.hpp"
#include "models/lut/lut_error.hpp"

namespace npusim::cli {

// The full report of one LUT: scales, the dual-range decision, error figures, and the first and the
// worst `interval_rows` intervals.
std::string lut_detail_report(const BespokeLut& lut, const LutOptions& options, const LutErrorSummary& error,
                              int interval_rows);

}  // namespace npusim::cli
