#include "models/lutnn/lut_tables.hpp"

#include <cmath>

#include "common/error.hpp"
#include "models/lutnn/int8_encoding.hpp"
#include "models/core/quantization.hpp"

namespace npusim::lutnn {

std::vector<double> float_tables(const Codebooks& codebooks, const Matrix& weights) {
  const CodebookShape& s = codebooks.shape;
  if (weights.rows != s.in_features || weights.cols != s.out_features) {
    throw Error("weights [" + std::to_string(weights.rows) + ", " + std::to_string(weights.cols) + "] do not match codebooks of " +
                std::to_string(s.in_features) + " inputs and " + std::to_string(s.out_features) + " outputs");
  }
  const int64_t c_count = s.codebooks(), k_count = s.centroids, v = s.subvector, m_count = s.out_features;
  std::vector<double> tables(static_cast<size_t>(c_count * k_count * m_count), 0.0);
  for (int64_t c = 0; c < c_count; ++c) {
    for (int64_t k = 0; k < k_count; ++k) {
      double* out = tables.data() + (c * k_count + k) * m_count;
      const float* centroid = codebooks.centroid(c, k);
      // j outermost keeps each output's sum in the order j = 0..v-1 while reading W row by row.
      for (int64_t j = 0; j < v; ++j) {
        const double cj = centroid[j];
        const float* w_row = weights.row(c * v + j);
        for (int64_t m = 0; m < m_count; ++m) out[m] += cj * static_cast<double>(w_row[m]);
      }
    }
  }
  return tables;
}

LutTables build_int8_tables(const Codebooks& codebooks, const Matrix& weights) {
  const std::vector<double> t = float_tables(codebooks, weights);
  const CodebookShape& s = codebooks.shape;
  LutTables tables;
  tables.codebooks = s.codebooks();
  tables.centroids = s.centroids;
  tables.out_features = s.out_features;
  const int64_t rows = tables.codebooks * tables.centroids, m_count = tables.out_features;
  std::vector<double> largest(static_cast<size_t>(m_count), 0.0);
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t m = 0; m < m_count; ++m) {
      const double v = std::fabs(t[static_cast<size_t>(r * m_count + m)]);
      if (!std::isfinite(v)) throw Error("a table entry is not finite (the weights or centroids hold NaN or infinity)");
      largest[static_cast<size_t>(m)] = std::max(largest[static_cast<size_t>(m)], v);
    }
  }
  tables.column_scale.resize(static_cast<size_t>(m_count));
  for (int64_t m = 0; m < m_count; ++m) {
    const double l = largest[static_cast<size_t>(m)];
    tables.column_scale[static_cast<size_t>(m)] = l == 0.0 ? 1.0f : static_cast<float>(l / kInt8Max);
  }
  tables.entries.resize(t.size());
  for (int64_t r = 0; r < rows; ++r) {
    for (int64_t m = 0; m < m_count; ++m) {
      const size_t i = static_cast<size_t>(r * m_count + m);
      const int64_t q = round_half_away(t[i] / static_cast<double>(tables.column_scale[static_cast<size_t>(m)]));
      tables.entries[i] = static_cast<int8_t>(clamp_int(q, -kInt8Max, kInt8Max));
    }
  }
  return tables;
}

}  // namespace npusim::lutnn
