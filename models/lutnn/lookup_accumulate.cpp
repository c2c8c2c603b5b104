#include "models/lutnn/lookup_accumulate.hpp"

#include <algorithm>
#include <string>

#include "common/error.hpp"

namespace npusim::lutnn {

int16_t add_saturating_int16(int16_t a, int16_t b) {
  const int32_t sum = static_cast<int32_t>(a) + b;
  return static_cast<int16_t>(std::clamp<int32_t>(sum, -32768, 32767));
}

namespace {

void check_codes(const std::vector<uint8_t>& codes, int64_t rows, int64_t codebooks, int64_t centroids) {
  if (rows < 0 || static_cast<int64_t>(codes.size()) != rows * codebooks) {
    throw Error("codes hold " + std::to_string(codes.size()) + " entries, expected " + std::to_string(rows) + " x " +
                std::to_string(codebooks));
  }
  for (const uint8_t code : codes) {
    if (code >= centroids) throw Error("code " + std::to_string(code) + " is not below the " + std::to_string(centroids) + " centroids");
  }
}

}  // namespace

std::vector<int32_t> lookup_accumulate(const LutTables& tables, const std::vector<uint8_t>& codes, int64_t rows) {
  const int64_t c_count = tables.codebooks, m_count = tables.out_features;
  check_codes(codes, rows, c_count, tables.centroids);
  std::vector<int32_t> sums(static_cast<size_t>(rows * m_count), 0);
  std::vector<int16_t> block(static_cast<size_t>(m_count));
  for (int64_t n = 0; n < rows; ++n) {
    int32_t* acc = sums.data() + n * m_count;
    for (int64_t first = 0; first < c_count; first += kCodebooksPerInt16Block) {
      std::fill(block.begin(), block.end(), int16_t{0});
      const int64_t last = std::min(c_count, first + kCodebooksPerInt16Block);
      for (int64_t c = first; c < last; ++c) {
        const int8_t* entries = tables.row(c, codes[static_cast<size_t>(n * c_count + c)]);
        for (int64_t m = 0; m < m_count; ++m) block[static_cast<size_t>(m)] = add_saturating_int16(block[static_cast<size_t>(m)], entries[m]);
      }
      for (int64_t m = 0; m < m_count; ++m) acc[m] += block[static_cast<size_t>(m)];
    }
  }
  return sums;
}

Matrix scale_output(const LutTables& tables, const std::vector<int32_t>& sums, int64_t rows) {
  const int64_t m_count = tables.out_features;
  if (static_cast<int64_t>(sums.size()) != rows * m_count) throw Error("sums do not match the tables' output columns");
  Matrix y(rows, m_count);
  for (int64_t n = 0; n < rows; ++n) {
    for (int64_t m = 0; m < m_count; ++m) {
      const double product = static_cast<double>(sums[static_cast<size_t>(n * m_count + m)]) *
                             static_cast<double>(tables.column_scale[static_cast<size_t>(m)]);
      y.at(n, m) = static_cast<float>(product);
    }
  }
  return y;
}

Matrix lookup_float(const std::vector<double>& tables, int64_t codebooks, int64_t centroids, int64_t out_features,
                    const std::vector<uint8_t>& codes, int64_t rows) {
  check_codes(codes, rows, codebooks, centroids);
  Matrix y(rows, out_features);
  std::vector<double> acc(static_cast<size_t>(out_features));
  for (int64_t n = 0; n < rows; ++n) {
    std::fill(acc.begin(), acc.end(), 0.0);
    for (int64_t c = 0; c < codebooks; ++c) {
      const double* entries = tables.data() + (c * centroids + codes[static_cast<size_t>(n * codebooks + c)]) * out_features;
      for (int64_t m = 0; m < out_features; ++m) acc[static_cast<size_t>(m)] += entries[m];
    }
    for (int64_t m = 0; m < out_features; ++m) y.at(n, m) = static_cast<float>(acc[static_cast<size_t>(m)]);
  }
  return y;
}

}  // namespace npusim::lutnn
