// `npusim lutnn export`: one LUT-NN layer as NumPy .npy files an RTL testbench or a notebook reads,
// plus manifest.json describing them and the exact integer rules. Every file is written atomically.
//
//   input.npy        float32 [N, D]      the evaluation rows
//   weights.npy      float32 [D, M]
//   centroids.npy    float32 [C, K, v]
//   tables.npy       int8    [C, K, M]   T[c][k] = centroid_k(c) . W(c), per-column INT8
//   table_scale.npy  float32 [M]
//   codes.npy        uint8   [N, C]      nearest centroid of each sub-vector (INT8 encoding)
//   output.npy       float32 [N, M]      the INT32 table sums times table_scale
#pragma once

#include <string>
#include <vector>

#include "models/lutnn/layer_evaluation.hpp"

namespace npusim::lutnn {

struct ExportedLayer {
  std::string manifest_path;
  std::vector<std::string> files;  // the .npy paths, in the order above
};

// `method` is "pq" or "lutnn" (whose layer is written); `source` says where input and weights came
// from. Creates `dir` if needed; throws npusim::Error naming a path that cannot be written.
ExportedLayer export_lut_layer(const std::string& dir, const std::string& method, const std::string& source, const LayerData& data,
                               const LayerEvaluation& evaluation);

}  // namespace npusim::lutnn
