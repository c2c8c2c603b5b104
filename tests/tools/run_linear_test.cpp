// npusim run --linear lutnn and lut_unit.range_reduced end to end on zoo blocks.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <vector>

#include "report/run_report.hpp"
#include "common/atomic_file.hpp"
#include "common/json.hpp"
#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

using testing::run_npusim;

hw::RunReport report_of(const std::string& args) {
  const std::string dir = testing::make_temp_dir("npusim_linear");
  const auto r = run_npusim("run " + args + " --json " + dir + "/r.json");
  EXPECT_EQ(r.exit_code, 0) << args << "\n" << r.err;
  if (r.exit_code != 0) return {};
  const hw::RunReport report = hw::report_from_json(json::parse(read_file(dir + "/r.json"), "r.json"), "r.json");
  std::filesystem::remove_all(dir);
  return report;
}

int64_t kind_bytes(const hw::RunReport& r, hw::TrafficKind kind) { return r.dram_bytes_by_kind[static_cast<size_t>(kind)]; }

// LUT-NN bytes of one [D, M] layer with v = 32, K = 16: INT8 tables C K M, centroids C K v, scales 4 M.
int64_t lutnn_bytes(int64_t d, int64_t m) { return d / 32 * 16 * m + d / 32 * 16 * 32 + 4 * m; }

TEST(NpusimRunLinear, VitBaseBlockRunsItsLinearLayersAsLutnn) {
  const hw::RunReport dense = report_of("--model vit_base --engines lut");
  const std::string dir = testing::make_temp_dir("npusim_linear");
  const hw::RunReport lutnn = report_of("--model vit_base --engines lut --linear lutnn --out " + dir);
  // ops.csv: index,id,layer,type,engine,...
  int matmuls = 0, batched = 0;
  std::stringstream rows(read_file(dir + "/ops.csv"));
  for (std::string row; std::getline(rows, row);) {
    std::vector<std::string> cells;
    std::stringstream split(row);
    for (std::string cell; std::getline(split, cell, ',');) cells.push_back(cell);
    ASSERT_GT(cells.size(), 4u) << row;
    if (cells[3] == "matmul") {
      EXPECT_EQ(cells[4], "lutnn") << row;
      ++matmuls;
    }
    if (cells[3] == "batched_matmul") {
      EXPECT_EQ(cells[4], "mau") << row;
      ++batched;
    }
  }
  std::filesystem::remove_all(dir);
  EXPECT_EQ(matmuls, 6);
  EXPECT_EQ(batched, 2);
  // Tables stream in place of the weights: q, k, v, out 768 -> 768, fc1 768 -> 3072, fc2 3072 -> 768.
  EXPECT_EQ(kind_bytes(lutnn, hw::TrafficKind::weights), 0);
  EXPECT_EQ(kind_bytes(lutnn, hw::TrafficKind::tables) - kind_bytes(dense, hw::TrafficKind::tables),
            4 * lutnn_bytes(768, 768) + lutnn_bytes(768, 3072) + lutnn_bytes(3072, 768));
  EXPECT_LT(lutnn.macs, dense.macs);
  EXPECT_GT(lutnn.total_ns, 0.0);
}

TEST(NpusimRunLinear, BertBaseBlockRunsWithLutnnOnBothEngines) {
  for (const char* engine : {"dsp", "lut"}) {
    const hw::RunReport r = report_of(std::string("--model bert_base --linear lutnn --engines ") + engine);
    EXPECT_EQ(kind_bytes(r, hw::TrafficKind::weights), 0) << engine;
    EXPECT_GT(kind_bytes(r, hw::TrafficKind::tables), 4 * lutnn_bytes(768, 768)) << engine;
  }
  const auto bad = run_npusim("run --model bert_base --linear lut-nn");
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("--linear takes mau or lutnn"), std::string::npos) << bad.err;
}

TEST(NpusimRunLinear, RangeReducedTablesCutTableTraffic) {
  const hw::RunReport plain = report_of("--model vit_base --engines lut");
  const hw::RunReport reduced = report_of("--model vit_base --engines lut --set lut_unit.range_reduced=reciprocal,rsqrt");
  EXPECT_LT(kind_bytes(reduced, hw::TrafficKind::tables), kind_bytes(plain, hw::TrafficKind::tables));
  EXPECT_EQ(kind_bytes(reduced, hw::TrafficKind::weights), kind_bytes(plain, hw::TrafficKind::weights));
}

// A sweep can vary the new fields like any other.
TEST(NpusimRunLinear, ASweepVariesTheLutnnLanes) {
  const std::string dir = testing::make_temp_dir("npusim_linear_sweep");
  write_file_atomically(dir + "/config.yaml", "linear:\n  engine: lutnn\n");
  write_file_atomically(dir + "/spec.yaml", "format: npusim-sweep\nversion: 1\nbase_config: config.yaml\nworkloads:\n"
                                            "  - {model: vit_base}\nengines: [lut]\naxes:\n"
                                            "  - {path: lutnn_unit.lanes, values: [8, 64]}\n");
  const auto r = run_npusim("sweep " + dir + "/spec.yaml --out " + dir + "/out --jobs 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(std::filesystem::exists(dir + "/out"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace npusim
