// Comparison of an RTL run's output dump with the expected outputs of a golden-vector set.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace npusim {

struct RtlMismatch {
  int64_t index = 0;
  int64_t stimulus = 0;  // the input word
  int64_t expected = 0;
  int64_t actual = 0;
};

struct RtlCheckResult {
  int64_t compared = 0;
  int64_t matched = 0;        // within the tolerance
  int64_t exact = 0;
  std::vector<RtlMismatch> first_mismatches;  // up to the limit asked for
  // Counts of |actual - expected| in LSB: 0, 1, 2, 3-4, 5-8, 9-16, ..., beyond 2^14.
  std::vector<std::pair<std::string, int64_t>> histogram;
  bool passed = false;
};

// Throws npusim::Error when the lengths differ.
RtlCheckResult compare_rtl_outputs(const std::vector<int32_t>& stimulus, const std::vector<int32_t>& expected,
                                   const std::vector<int32_t>& actual, int64_t tolerance_lsb, size_t mismatch_limit);

}  // namespace npusim
