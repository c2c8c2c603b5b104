#include "workloads/synthetic_ranges.hpp"

#include <cmath>
#include <cstdint>

namespace npusim::workloads {

namespace {

// A deterministic number in [0, 1) per layer and function (FNV-1a), for layer-to-layer variation.
double jitter(const std::string& layer, Function f) {
  uint64_t h = 1469598103934665603ULL;
  for (const char c : layer) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  h = (h ^ static_cast<uint64_t>(f)) * 1099511628211ULL;
  return static_cast<double>(h >> 11) / 9007199254740992.0;
}

double round_to(double v, double step) { return std::round(v / step) * step; }

}  // namespace

CalibratedRange SyntheticRanges::range(Function f, const std::string& layer, double depth) const {
  const double j = jitter(layer, f);
  const bool language = family_ == ModelFamily::decoder_language || family_ == ModelFamily::encoder_language;
  CalibratedRange r;
  switch (f) {
    case Function::exp:  // x - max(x): attention logits sharpen with depth
      r.min = -round_to(8.0 + 10.0 * depth + 6.0 * j, 0.25);
      r.max = 0.0;
      break;
    case Function::reciprocal:  // softmax row sums, in the scaled integer domain of the exp outputs
      if (family_ == ModelFamily::decoder_language) {
        r.min = round_to(0.004 + 0.03 * j, 0.001);  // causal rows with one dominant token after scaling
      } else {
        r.min = 1.0;
      }
      r.max = round_to(static_cast<double>(tokens_) * (0.15 + 0.5 * j), 0.5) + 2.0;
      break;
    case Function::rsqrt:  // variance + eps of the norms
      if (language) {
        r.min = family_ == ModelFamily::decoder_language ? round_to(1e-5 + 4e-4 * j, 1e-6) : round_to(0.002 + 0.02 * j, 1e-4);
        r.max = round_to(2.0 + 60.0 * depth + 20.0 * j, 0.5);
      } else {
        r.min = round_to(0.02 + 0.2 * j, 0.001);
        r.max = round_to(3.0 + 25.0 * depth + 8.0 * j, 0.5);
      }
      break;
    case Function::gelu:
      r.min = -round_to(5.0 + 6.0 * j, 0.25);
      r.max = round_to(6.0 + 10.0 * depth + 6.0 * j, 0.25);
      break;
    case Function::silu:  // gate activations; a few layers have a short negative tail
      r.min = -round_to(j < 0.15 ? 2.5 + 2.0 * j : 10.0 + 20.0 * j, 0.25);
      r.max = round_to(8.0 + 30.0 * depth + 10.0 * j, 0.25);
      break;
    default:
      r.min = -8.0;
      r.max = 8.0;
  }
  return r;
}

}  // namespace npusim::workloads
