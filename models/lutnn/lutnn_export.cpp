#include "models/lutnn/lutnn_export.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "common/npy.hpp"

namespace npusim::lutnn {

namespace {

using Json = nlohmann::ordered_json;

Json file_entry(const std::string& name, const std::string& dtype, const std::vector<int64_t>& shape, const std::string& description) {
  return Json{{"file", name + ".npy"}, {"dtype", dtype}, {"shape", shape}, {"description", description}};
}

}  // namespace

ExportedLayer export_lut_layer(const std::string& dir, const std::string& method, const std::string& source, const LayerData& data,
                               const LayerEvaluation& e) {
  if (method != "pq" && method != "lutnn") throw Error("export method must be pq or lutnn, got '" + method + "'");
  const LutLayer& layer = method == "pq" ? e.pq : e.lutnn;
  const int64_t n = data.input.rows, d = e.shape.in_features, m = e.shape.out_features;
  const int64_t c = e.shape.codebooks(), k = e.shape.centroids, v = e.shape.subvector;
  ensure_writable_directory(dir);
  const std::filesystem::path root(dir);
  ExportedLayer out;
  auto path = [&](const char* name) {
    out.files.push_back((root / name).string());
    return out.files.back();
  };
  npy::write_float32(path("input.npy"), {n, d}, data.input.values);
  npy::write_float32(path("weights.npy"), {d, m}, data.weights.values);
  npy::write_float32(path("centroids.npy"), {c, k, v}, layer.codebooks.centroids);
  npy::write_int8(path("tables.npy"), {c, k, m}, layer.tables.entries);
  npy::write_float32(path("table_scale.npy"), {m}, layer.tables.column_scale);
  npy::write_uint8(path("codes.npy"), {n, c}, layer.codes);
  npy::write_float32(path("output.npy"), {n, m}, layer.output.values);

  Json errors = Json::object();
  for (const MethodResult& r : e.methods) errors[r.name] = r.rel_error;
  Json manifest = {
      {"format", "npusim-lutnn-export"},
      {"version", 1},
      {"method", method},
      {"source", source},
      {"layer", {{"tokens", n}, {"in_features", d}, {"out_features", m}, {"subvector", v}, {"centroids", k}, {"codebooks", c}}},
      {"input_scale", layer.input_scale},
      {"rules",
       {{"rha", "round half away from zero"},
        {"encode", "q(x) = clamp(rha(float64(x) / float64(input_scale)), -127, 127) for inputs and centroids alike; "
                   "code = argmin_k sum_j (q(x_j) - q(c_kj))^2, exact in integers, lowest k on a tie"},
        {"tables", "T[c][k][m] = sum_j float64(c_kj) * float64(W[c*v+j][m]) in order j = 0..v-1; "
                   "table_scale[m] = float32(max |T[.][.][m]| / 127), 1 for an all-zero column; "
                   "tables = clamp(rha(T / float64(table_scale[m])), -127, 127)"},
        {"accumulate", "per 128-codebook block an INT16 sum of table entries (|sum| <= 16256, never saturates), "
                       "then an INT32 sum of the blocks"},
        {"output", "float32(float64(int32 sum) * float64(table_scale[m])), one rounding"}}},
      {"rel_error", errors},
      {"files",
       {{"input", file_entry("input", "float32", {n, d}, "evaluation rows")},
        {"weights", file_entry("weights", "float32", {d, m}, "layer weights, y = x W")},
        {"centroids", file_entry("centroids", "float32", {c, k, v}, "centroid k of codebook c (sub-vector c of x is x[c*v:(c+1)*v])")},
        {"tables", file_entry("tables", "int8", {c, k, m}, "INT8 tables, one scale per output column")},
        {"table_scale", file_entry("table_scale", "float32", {m}, "scale of each output column of the tables")},
        {"codes", file_entry("codes", "uint8", {n, c}, "nearest centroid of each sub-vector of each input row")},
        {"output", file_entry("output", "float32", {n, m}, "the INT32 table sums times table_scale")}}},
  };
  out.manifest_path = (root / "manifest.json").string();
  write_file_atomically(out.manifest_path, manifest.dump(2) + "\n");
  return out;
}

}  // namespace npusim::lutnn
