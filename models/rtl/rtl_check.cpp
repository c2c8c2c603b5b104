#include "models/rtl/rtl_check.hpp"

#include <cstdlib>

#include "common/error.hpp"

namespace npusim {

namespace {

// Bucket 0: 0; bucket 1: 1; bucket b >= 2: (2^(b-2), 2^(b-1)].
size_t bucket_of(int64_t difference) {
  if (difference <= 1) return static_cast<size_t>(difference);
  size_t b = 2;
  int64_t upper = 2;
  while (difference > upper) {
    upper *= 2;
    ++b;
  }
  return b;
}

std::string bucket_label(size_t b) {
  if (b <= 1) return std::to_string(b);
  const int64_t upper = int64_t{1} << (b - 1), lower = (upper / 2) + 1;
  return lower == upper ? std::to_string(upper) : std::to_string(lower) + "-" + std::to_string(upper);
}

}  // namespace

RtlCheckResult compare_rtl_outputs(const std::vector<int32_t>& stimulus, const std::vector<int32_t>& expected,
                                   const std::vector<int32_t>& actual, int64_t tolerance_lsb, size_t mismatch_limit) {
  if (actual.size() != expected.size()) {
    throw Error("the RTL dump has " + std::to_string(actual.size()) + " words, the expected outputs " +
                std::to_string(expected.size()));
  }
  RtlCheckResult r;
  std::vector<int64_t> counts;
  for (size_t i = 0; i < expected.size(); ++i) {
    const int64_t difference = std::llabs(static_cast<int64_t>(actual[i]) - static_cast<int64_t>(expected[i]));
    const size_t b = bucket_of(difference);
    if (counts.size() <= b) counts.resize(b + 1, 0);
    ++counts[b];
    ++r.compared;
    if (difference == 0) ++r.exact;
    if (difference <= tolerance_lsb) {
      ++r.matched;
    } else if (r.first_mismatches.size() < mismatch_limit) {
      r.first_mismatches.push_back({static_cast<int64_t>(i), i < stimulus.size() ? stimulus[i] : -1, expected[i], actual[i]});
    }
  }
  for (size_t b = 0; b < counts.size(); ++b) {
    if (counts[b] > 0) r.histogram.emplace_back(bucket_label(b), counts[b]);
  }
  r.passed = r.matched == r.compared;
  return r;
}

}  // namespace npusim
