// The plain product-quantization baseline (`pq`, as in MADDNESS's and PQ's encoders): each codebook's
// centroids are k-means centroids of the calibration sub-vectors, fitted to the activations alone.
// k-means++ seeding (each next seed drawn with probability proportional to its squared distance from
// the seeds so far), then Lloyd iterations until no assignment changes. Deterministic for a seed.
#pragma once

#include <cstdint>

#include "models/lutnn/codebooks.hpp"
#include "models/lutnn/matrix.hpp"

namespace npusim::lutnn {

struct PqOptions {
  uint64_t seed = 1;
  int max_iterations = 30;  // Lloyd iterations per codebook; they stop earlier once assignments settle
};

// Throws npusim::Error for a bad shape or a calibration set of other than in_features columns or
// fewer rows than centroids.
Codebooks fit_pq_codebooks(const Matrix& calibration, const CodebookShape& shape, const PqOptions& options = {});

}  // namespace npusim::lutnn
