#include "models/lutnn/int8_encoding.hpp"

#include <cmath>

#include "common/error.hpp"
#include "models/core/quantization.hpp"

namespace npusim::lutnn {

float symmetric_int8_scale(const float* values, size_t count) {
  float largest = 0.0f;
  for (size_t i = 0; i < count; ++i) {
    if (!std::isfinite(values[i])) throw Error("values must be finite to choose an INT8 scale");
    largest = std::max(largest, std::fabs(values[i]));
  }
  return largest == 0.0f ? 1.0f : static_cast<float>(static_cast<double>(largest) / kInt8Max);
}

float input_scale(const Matrix& calibration) { return symmetric_int8_scale(calibration.values.data(), calibration.values.size()); }

int8_t quantize_int8(float x, float scale) {
  return static_cast<int8_t>(clamp_int(round_half_away(static_cast<double>(x) / static_cast<double>(scale)), -kInt8Max, kInt8Max));
}

std::vector<int8_t> quantize_centroids(const Codebooks& codebooks, float scale) {
  std::vector<int8_t> q(codebooks.centroids.size());
  for (size_t i = 0; i < q.size(); ++i) q[i] = quantize_int8(codebooks.centroids[i], scale);
  return q;
}

std::vector<uint8_t> encode_int8(const Matrix& x, const Codebooks& codebooks, float scale) {
  const CodebookShape& s = codebooks.shape;
  if (x.cols != s.in_features) {
    throw Error("encoding rows of " + std::to_string(x.cols) + " features with codebooks of " + std::to_string(s.in_features));
  }
  const int64_t c_count = s.codebooks(), v = s.subvector;
  const std::vector<int8_t> qc = quantize_centroids(codebooks, scale);
  std::vector<int8_t> qx(x.values.size());
  for (size_t i = 0; i < qx.size(); ++i) qx[i] = quantize_int8(x.values[i], scale);
  std::vector<uint8_t> codes(static_cast<size_t>(x.rows * c_count));
  for (int64_t n = 0; n < x.rows; ++n) {
    for (int64_t c = 0; c < c_count; ++c) {
      const int8_t* xs = qx.data() + n * x.cols + c * v;
      int64_t best = 0, best_distance = 0;
      for (int64_t k = 0; k < s.centroids; ++k) {
        const int8_t* cs = qc.data() + (c * s.centroids + k) * v;
        int64_t d = 0;
        for (int64_t j = 0; j < v; ++j) {
          const int64_t diff = int64_t{xs[j]} - cs[j];
          d += diff * diff;
        }
        if (k == 0 || d < best_distance) {  // strictly closer: the lowest k keeps a tie
          best = k;
          best_distance = d;
        }
      }
      codes[static_cast<size_t>(n * c_count + c)] = static_cast<uint8_t>(best);
    }
  }
  return codes;
}

}  // namespace npusim::lutnn
