// An independent statement of LUT-NN's integer pipeline (SPEC 2.7 and the rules in
// models/lutnn/*.hpp), written apart from the models for the bit-exact tests: rounding without
// std::round, encoding through the MAC array's scores instead of distances, accumulation in one 64-bit
// sum instead of INT16 blocks.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace npusim::lutnn_reference {

// Round half away from zero: the integer part, plus one step away from zero when the fraction
// (exact in double) is at least one half.
inline int64_t rha(double v) {
  double t = std::trunc(v);
  if (std::fabs(v - t) >= 0.5) t += v < 0 ? -1.0 : 1.0;
  return static_cast<int64_t>(t);
}

inline int64_t q8(float x, float scale) {
  return std::clamp<int64_t>(rha(static_cast<double>(x) / static_cast<double>(scale)), -127, 127);
}

inline float int8_scale(const std::vector<float>& values) {
  double largest = 0;
  for (const float v : values) largest = std::max(largest, std::fabs(static_cast<double>(v)));
  return largest == 0 ? 1.0f : static_cast<float>(largest / 127.0);
}

// Codes by score_k = |q(c_k)|^2 - 2 q(x).q(c_k), the first minimum; x [N][C v], centroids [C][K][v].
inline std::vector<uint8_t> codes(const std::vector<float>& x, int64_t n, int64_t c_count, int64_t k_count, int64_t v,
                                  const std::vector<float>& centroids, float scale) {
  std::vector<uint8_t> out;
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t c = 0; c < c_count; ++c) {
      int64_t best = -1, best_score = 0;
      for (int64_t k = 0; k < k_count; ++k) {
        int64_t norm = 0, dot = 0;
        for (int64_t j = 0; j < v; ++j) {
          const int64_t qc = q8(centroids[static_cast<size_t>((c * k_count + k) * v + j)], scale);
          const int64_t qx = q8(x[static_cast<size_t>(r * c_count * v + c * v + j)], scale);
          norm += qc * qc;
          dot += qx * qc;
        }
        const int64_t score = norm - 2 * dot;
        if (best < 0 || score < best_score) {
          best = k;
          best_score = score;
        }
      }
      out.push_back(static_cast<uint8_t>(best));
    }
  }
  return out;
}

struct Tables {
  std::vector<int8_t> entries;  // [C][K][M]
  std::vector<float> scale;     // [M]
};

// T in double in the order j = 0..v-1, per-column scale, symmetric INT8 entries; w [C v][M].
inline Tables tables(const std::vector<float>& centroids, int64_t c_count, int64_t k_count, int64_t v, const std::vector<float>& w,
                     int64_t m_count) {
  std::vector<double> t(static_cast<size_t>(c_count * k_count * m_count));
  for (int64_t c = 0; c < c_count; ++c) {
    for (int64_t k = 0; k < k_count; ++k) {
      for (int64_t m = 0; m < m_count; ++m) {
        double sum = 0;
        for (int64_t j = 0; j < v; ++j) {
          sum += static_cast<double>(centroids[static_cast<size_t>((c * k_count + k) * v + j)]) *
                 static_cast<double>(w[static_cast<size_t>((c * v + j) * m_count + m)]);
        }
        t[static_cast<size_t>((c * k_count + k) * m_count + m)] = sum;
      }
    }
  }
  Tables out;
  for (int64_t m = 0; m < m_count; ++m) {
    double largest = 0;
    for (int64_t r = 0; r < c_count * k_count; ++r) largest = std::max(largest, std::fabs(t[static_cast<size_t>(r * m_count + m)]));
    out.scale.push_back(largest == 0 ? 1.0f : static_cast<float>(largest / 127.0));
  }
  for (size_t i = 0; i < t.size(); ++i) {
    const float s = out.scale[i % static_cast<size_t>(m_count)];
    out.entries.push_back(static_cast<int8_t>(std::clamp<int64_t>(rha(t[i] / static_cast<double>(s)), -127, 127)));
  }
  return out;
}

// One 64-bit sum over all codebooks, then the float32 output.
inline std::vector<int64_t> sums(const Tables& t, int64_t c_count, int64_t k_count, int64_t m_count, const std::vector<uint8_t>& codes,
                                 int64_t n) {
  std::vector<int64_t> out(static_cast<size_t>(n * m_count), 0);
  for (int64_t r = 0; r < n; ++r) {
    for (int64_t m = 0; m < m_count; ++m) {
      int64_t s = 0;
      for (int64_t c = 0; c < c_count; ++c) {
        s += t.entries[static_cast<size_t>((c * k_count + codes[static_cast<size_t>(r * c_count + c)]) * m_count + m)];
      }
      out[static_cast<size_t>(r * m_count + m)] = s;
    }
  }
  return out;
}

inline float output(int64_t sum, float scale) { return static_cast<float>(static_cast<double>(sum) * static_cast<double>(scale)); }

}  // namespace npusim::lutnn_reference
