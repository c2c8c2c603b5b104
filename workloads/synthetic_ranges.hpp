// Plausible calibrated input ranges for the built-in models, labelled synthetic in every trace: they
// vary across layers as real PTQ ranges do, and for the language models the rsqrt inputs (variance of
// RMSNorm/LayerNorm) and reciprocal inputs (softmax sums after scaling) reach near zero, where the
// dual-range table matters. A user's calibration file replaces them (workloads/calibration).
#pragma once

#include <string>

#include "models/core/golden_functions.hpp"
#include "workloads/trace.hpp"

namespace npusim::workloads {

enum class ModelFamily { vision, detection, encoder_language, decoder_language };

class SyntheticRanges {
 public:
  SyntheticRanges(ModelFamily family, int64_t tokens) : family_(family), tokens_(tokens) {}

  // The range of `f`'s input at `layer`, `depth` in [0, 1] from the first to the last block.
  CalibratedRange range(Function f, const std::string& layer, double depth) const;

 private:
  ModelFamily family_;
  int64_t tokens_;
};

}  // namespace npusim::workloads
