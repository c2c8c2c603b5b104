// End-to-end tests of `npusim lutnn eval / export / cost`: the JSON results, the exported .npy files
// reproduced by an independent integer pipeline, hand counts of a BERT-base block, and bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/atomic_file.hpp"
#include "common/npy.hpp"
#include "tests/models/lutnn/lutnn_reference.hpp"
#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

using testing::run_npusim;
namespace ref = lutnn_reference;

const std::string kSmallShape = "--in-features 64 --out-features 48 --tokens 32 --calibration-tokens 256 --iterations 20";
const std::string kSmallLayer = kSmallShape + " --subvector 8";

using testing::contains;
using testing::line_count;

std::vector<float> floats(const npy::Array& a) {
  std::vector<float> v(static_cast<size_t>(a.element_count()));
  std::memcpy(v.data(), a.bytes.data(), a.bytes.size());
  return v;
}

TEST(NpusimLutnn, EvalReportsEachMethodFlopsAndBytes) {
  const std::string dir = testing::make_temp_dir("npusim_lutnn");
  const auto r = run_npusim("lutnn eval " + kSmallLayer + " --json " + dir + "/eval.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  for (const char* fragment : {"int8", "pq", "lutnn", "lowrank:32,0.2 activations", "8 codebooks", "reduction"}) {
    EXPECT_TRUE(contains(r.out, fragment)) << fragment << "\n" << r.out;
  }
  const auto json = nlohmann::ordered_json::parse(read_file(dir + "/eval.json"));
  std::vector<std::string> first_keys;
  for (auto it = json.begin(); it != json.end() && first_keys.size() < 4; ++it) first_keys.push_back(it.key());
  EXPECT_EQ(first_keys, (std::vector<std::string>{"methods", "flops_reduction", "table_bytes", "weight_bytes"}));
  ASSERT_EQ(json["methods"].size(), 3u);
  const char* names[] = {"int8", "pq", "lutnn"};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(json["methods"][i]["name"], names[i]);
    const double e = json["methods"][i]["rel_error"];
    EXPECT_GT(e, 0.0);
    EXPECT_LT(e, 1.5);
  }
  // 32 rows, D = 64, M = 48, v = 8, K = 16: C = 8.
  EXPECT_EQ(json["table_bytes"], 8 * 16 * 48);
  EXPECT_EQ(json["weight_bytes"], 64 * 48);
  const double dense = 2.0 * 32 * 64 * 48, lutnn = 2.0 * 32 * 8 * 8 * 16 + 32 * 8 * 16 + 32 * 8 * 48;
  EXPECT_DOUBLE_EQ(json["flops_reduction"].get<double>(), dense / lutnn);
  // The same seed gives the same numbers.
  const auto again = run_npusim("lutnn eval " + kSmallLayer + " --json " + dir + "/again.json");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(read_file(dir + "/again.json"), read_file(dir + "/eval.json"));
  std::filesystem::remove_all(dir);
}

TEST(NpusimLutnn, ExportedFilesAreReproducedByAnIndependentPipeline) {
  const std::string dir = testing::make_temp_dir("npusim_lutnn");
  const auto r = run_npusim("lutnn export " + kSmallLayer + " --dist clustered --out " + dir + "/layer");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string out = dir + "/layer/";
  const auto manifest = nlohmann::json::parse(read_file(out + "manifest.json"));
  EXPECT_EQ(manifest["format"], "npusim-lutnn-export");
  EXPECT_EQ(manifest["method"], "lutnn");
  const int64_t n = 32, d = 64, m = 48, c = 8, k = 16, v = 8;
  EXPECT_EQ(manifest["layer"]["codebooks"], c);
  const struct {
    const char* name;
    npy::DType dtype;
    std::vector<int64_t> shape;
  } expected[] = {{"input", npy::DType::float32, {n, d}},        {"weights", npy::DType::float32, {d, m}},
                  {"centroids", npy::DType::float32, {c, k, v}}, {"tables", npy::DType::int8, {c, k, m}},
                  {"table_scale", npy::DType::float32, {m}},     {"codes", npy::DType::uint8, {n, c}},
                  {"output", npy::DType::float32, {n, m}}};
  for (const auto& e : expected) {
    const npy::Array a = npy::read(out + e.name + ".npy");
    EXPECT_EQ(a.dtype, e.dtype) << e.name;
    EXPECT_EQ(a.shape, e.shape) << e.name;
    EXPECT_EQ(manifest["files"][e.name]["shape"].get<std::vector<int64_t>>(), e.shape) << e.name;
  }
  const std::vector<float> input = floats(npy::read(out + "input.npy")), weights = floats(npy::read(out + "weights.npy"));
  const std::vector<float> centroids = floats(npy::read(out + "centroids.npy"));
  const float input_scale = static_cast<float>(manifest["input_scale"].get<double>());

  const std::vector<uint8_t> codes = ref::codes(input, n, c, k, v, centroids, input_scale);
  EXPECT_EQ(npy::read(out + "codes.npy").bytes, codes);
  const ref::Tables tables = ref::tables(centroids, c, k, v, weights, m);
  const npy::Array table_file = npy::read(out + "tables.npy");
  EXPECT_EQ(std::vector<int8_t>(table_file.bytes.begin(), table_file.bytes.end()), tables.entries);
  EXPECT_EQ(floats(npy::read(out + "table_scale.npy")), tables.scale);
  const std::vector<int64_t> sums = ref::sums(tables, c, k, m, codes, n);
  const std::vector<float> output = floats(npy::read(out + "output.npy"));
  for (size_t i = 0; i < sums.size(); ++i) {
    const float y = ref::output(sums[i], tables.scale[i % static_cast<size_t>(m)]);
    ASSERT_EQ(std::memcmp(&y, &output[i], sizeof(float)), 0) << i;
  }
  // --input / --weights take the exported layer back: the same errors, now calibrated on the input rows.
  const auto again = run_npusim("lutnn eval --input " + out + "input.npy --weights " + out + "weights.npy --subvector 8 --iterations 5");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(contains(again.out, "calibrated on the input's own rows")) << again.out;
  std::filesystem::remove_all(dir);
}

TEST(NpusimLutnn, CostOfABertBaseBlockByHand) {
  const std::string dir = testing::make_temp_dir("npusim_lutnn");
  const auto r = run_npusim("lutnn cost --model bert_base --json " + dir + "/cost.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* fragment : {"at 3 GB/s", "at 20 GB/s", "latency (ms)", "table memory"}) EXPECT_TRUE(contains(r.out, fragment)) << r.out;
  const auto json = nlohmann::json::parse(read_file(dir + "/cost.json"));
  EXPECT_EQ(json["ops"], 6);  // q, k, v, out projections, fc1, fc2
  // Dense: 4 x 2 x 128 x 768 x 768 + 2 x 2 x 128 x 768 x 3072.
  EXPECT_EQ(json["flops"]["dense"], 1811939328);
  // LUT-NN (v = 32, K = 16): distances 2 N D K, argmin N C K, lookups N C M per layer.
  const int64_t proj = 2 * 128 * 768 * 16 + 128 * 24 * 16 + 128 * 24 * 768;
  const int64_t fc1 = 2 * 128 * 768 * 16 + 128 * 24 * 16 + 128 * 24 * 3072;
  const int64_t fc2 = 2 * 128 * 3072 * 16 + 128 * 96 * 16 + 128 * 96 * 768;
  EXPECT_EQ(json["flops"]["lutnn"], 4 * proj + fc1 + fc2);
  // Tables C K M, scales 4 M and centroids C K v of every layer.
  const int64_t tables = 4 * 24 * 16 * 768 + 24 * 16 * 3072 + 96 * 16 * 768;
  const int64_t scales = 4 * (4 * 768 + 3072 + 768);
  const int64_t centroids = 5 * 24 * 16 * 32 + 96 * 16 * 32;
  EXPECT_EQ(json["table_memory_bytes"], tables + scales + centroids);
  EXPECT_EQ(json["table_dram_bytes"], tables + scales + centroids);  // streamed once: the codes fit on chip
  ASSERT_EQ(json["bandwidths"].size(), 2u);
  // LUT-NN moves its tables plus each input at most once and each output at most once (less where the
  // plan keeps one on chip): the q, k, v projections read the INT16 block input and FC2 INT16 GELU
  // outputs (the zoo trace's precisions), everything else is INT8.
  const int64_t activations = 3 * (128 * 768 * 2 + 128 * 768) + (128 * 768 + 128 * 768) + (128 * 768 + 128 * 3072) +
                              (128 * 3072 * 2 + 128 * 768);
  for (const auto& point : json["bandwidths"]) {
    EXPECT_GE(point["lutnn_dram_bytes"].get<int64_t>(), tables + scales + centroids);
    EXPECT_LE(point["lutnn_dram_bytes"].get<int64_t>(), tables + scales + centroids + activations);
    EXPECT_GE(point["dense_weight_dram_bytes"].get<int64_t>(), 4 * 768 * 768 + 2 * 768 * 3072);  // at least once
    EXPECT_LT(point["lutnn_ms"].get<double>(), point["dense_ms"].get<double>());
  }
  // The estimate reads the timed model's plans: at 3 GB/s its DRAM bytes are what the timed runs of the
  // same block move for those six ops, dense and as LUT-NN.
  for (const auto& [linear, key] : {std::pair{"mau", "dense_dram_bytes"}, {"lutnn", "lutnn_dram_bytes"}}) {
    const auto timed = run_npusim(std::string("run --model bert_base --engines lut --linear ") + linear + " --json " + dir + "/run.json");
    ASSERT_EQ(timed.exit_code, 0) << timed.err;
    int64_t moved = 0;
    const auto report = nlohmann::json::parse(read_file(dir + "/run.json"));
    for (const auto& op : report["ops"]) {
      if (op["type"] == "matmul" || op["type"] == "conv") moved += op["dram_read_bytes"].get<int64_t>() + op["dram_write_bytes"].get<int64_t>();
    }
    EXPECT_EQ(json["bandwidths"][0][key].get<int64_t>(), moved) << linear;
  }
  std::filesystem::remove_all(dir);
}

TEST(NpusimLutnn, BadInputIsOneLineAndExitOne) {
  const std::string dir = testing::make_temp_dir("npusim_lutnn");
  npy::write_float32(dir + "/x.npy", {8, 64}, std::vector<float>(8 * 64, 0.5f));
  npy::write_float32(dir + "/w.npy", {32, 16}, std::vector<float>(32 * 16, 0.1f));
  npy::write_float32(dir + "/w64.npy", {64, 16}, std::vector<float>(64 * 16, 0.1f));
  npy::write_float32(dir + "/cal.npy", {40, 60}, std::vector<float>(40 * 60, 0.1f));
  npy::write_float32(dir + "/x3.npy", {2, 4, 8}, std::vector<float>(64, 0.1f));
  npy::write_int8(dir + "/int8.npy", {8, 64}, std::vector<int8_t>(8 * 64, 1));
  const struct {
    std::string args, message;  // message "": only its shape is checked
  } cases[] = {
      {kSmallShape + " --subvector 30", "npusim: error: sub-vector length 30 does not divide in_features 64\n"},
      {kSmallLayer + " --centroids 1", "npusim: error: centroids per codebook must be in 2..256, got 1\n"},
      {kSmallLayer + " --centroids 257", "npusim: error: centroids per codebook must be in 2..256, got 257\n"},
      {"--input " + dir + "/x.npy --weights " + dir + "/w.npy --subvector 8",
       "npusim: error: " + dir + "/w.npy [32, 16] does not fit " + dir + "/x.npy [8, 64]: the weights' rows must equal the input's columns\n"},
      {"--input " + dir + "/int8.npy --subvector 8", "npusim: error: " + dir + "/int8.npy: expected float32, found |i1 (save with arr.astype(np.float32))\n"},
      {"--weights " + dir + "/int8.npy --subvector 8", "npusim: error: " + dir + "/int8.npy: expected float32, found |i1 (save with arr.astype(np.float32))\n"},
      {"--input " + dir + "/x3.npy", "npusim: error: " + dir + "/x3.npy: expected a 2-d array, found shape [2, 4, 8]\n"},
      {"--input " + dir + "/x.npy --weights " + dir + "/w64.npy --subvector 8 --calibration-input " + dir + "/cal.npy",
       "npusim: error: " + dir + "/cal.npy [40, 60] has 60 columns, the layer's input has 64\n"},
      {"--input " + dir + "/missing.npy", ""},
      {kSmallLayer + " --dist lowrnak", "npusim: error: unknown activation distribution 'lowrnak' (did you mean 'lowrank'?); known: normal, clustered, lowrank, outliers\n"},
  };
  for (const auto& c : cases) {
    for (const std::string& action : {std::string("eval"), "export --out " + dir + "/out"}) {
      const std::string command = "lutnn " + action + " " + c.args;
      const auto r = run_npusim(command);
      EXPECT_EQ(r.exit_code, 1) << command << "\n" << r.err;
      EXPECT_EQ(line_count(r.err), 1) << command << "\n" << r.err;
      if (!c.message.empty()) {
        EXPECT_EQ(r.err, c.message) << command;
      }
    }
  }
  EXPECT_FALSE(std::filesystem::exists(dir + "/out/manifest.json"));
  std::filesystem::remove_all(dir);
}

TEST(NpusimLutnn, BadUsageIsExitTwo) {
  for (const std::string& args : std::vector<std::string>{"lutnn", "lutnn evaluate", "lutnn eval --tokens 8 --input x.npy", "lutnn eval --temperature 1",
                                 "lutnn eval --centroids many", "lutnn export " + kSmallLayer, "lutnn export --out d --method dense",
                                 "lutnn cost", "lutnn cost --model bert_base --bandwidth 3,-1"}) {
    const auto r = run_npusim(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_EQ(line_count(r.err), 1) << args << "\n" << r.err;
  }
  EXPECT_EQ(run_npusim("lutnn --help").exit_code, 0);
  EXPECT_TRUE(contains(run_npusim("lutnn eval --help").out, "--calibration-input"));
}

}  // namespace
}  // namespace npusim
