// The sweep's summary.csv: the run summary's names, energy and its parts for every point done, a failed
// point's row as wide as the others, and empty energy cells for a result written before energy existed.
#include "report/sweep_report.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "report/run_figures.hpp"

namespace npusim::cli {
namespace {

std::vector<std::vector<std::string>> rows_of(const std::string& csv) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream lines(csv);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> fields;
    std::istringstream split(line + ",");
    for (std::string f; std::getline(split, f, ',');) fields.push_back(f);
    rows.push_back(fields);
  }
  return rows;
}

// Every point of `spec` done, its total 2 ms.
std::vector<PointResult> done_points(const hw::SweepSpec& spec) {
  std::vector<PointResult> results;
  for (const auto& p : spec.points()) {
    PointResult r;
    r.point = p;
    r.done = true;
    r.report.total_ns = 2e6;
    results.push_back(r);
  }
  return results;
}

TEST(SweepSummaryCsv, CarriesEnergyAndItsPartsUnderTheRunSummaryNames) {
  const hw::SweepSpec spec = hw::parse_sweep_spec("format: npusim-sweep\nversion: 1\nworkloads:\n  - {model: vit_base}\n"
                                                  "engines: [dsp, lut]\naxes:\n  - {path: dram.bandwidth_gbps, values: [3, 20]}\n",
                                                  "spec.yaml");
  std::vector<PointResult> results = done_points(spec);
  for (PointResult& r : results) {
    r.report.critical_ns[0] = 1.5e6;
    r.report.critical_idle_ns = 0.5e6;
    r.report.energy = {100, 1, 20, 300, 4, 0, 0, r.point.engine == "dsp" ? 50.0 : 0.0};
    r.report.has_energy = true;
  }
  results[1].report.has_energy = false;  // as read from an older result.json
  results[2].done = false, results[2].failed = true, results[2].error = "boom";
  const auto rows = rows_of(sweep_summary_csv(spec, results));
  ASSERT_EQ(rows.size(), 5u);
  const auto& header = rows[0];
  const auto column = [&](const std::string& name) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  for (const char* name : {"total_ms", "critical_mau_compute_ms", "critical_idle_ms", "nonlinear_ms", "communication_ms",
                           "overlapped_ms", "busy_weight_dma_ms", "energy_uj", "dram_energy_uj", "dsp_energy_uj", "error"}) {
    EXPECT_LT(column(name), header.size()) << name;
  }
  EXPECT_EQ(column("exposed_stall_ms"), header.size());
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_EQ(rows[i].size(), header.size()) << i;
  // dsp at 3 GB/s: 100 + 1 + 20 + 300 + 4 + 50 uJ.
  EXPECT_DOUBLE_EQ(std::stod(rows[1][column("energy_uj")]), 475.0);
  EXPECT_DOUBLE_EQ(std::stod(rows[1][column("dram_energy_uj")]), 300.0);
  EXPECT_DOUBLE_EQ(std::stod(rows[1][column("dsp_energy_uj")]), 50.0);
  EXPECT_EQ(rows[2][column("energy_uj")], "");  // no energy reported: empty, not zero
  EXPECT_EQ(rows[3][column("status")], "failed");
  EXPECT_EQ(rows[3][column("error")], "boom");
  EXPECT_EQ(rows[3][column("total_ms")], "");
  EXPECT_DOUBLE_EQ(std::stod(rows[4][column("critical_mau_compute_ms")]) + std::stod(rows[4][column("critical_idle_ms")]),
                   std::stod(rows[4][column("total_ms")]));
}

// A generation point's headline figures after the run summary's columns (ms, tokens/s, mJ), empty cells
// for a point that is no generation and for a failed one; the columns before them unchanged.
TEST(SweepSummaryCsv, CarriesAGenerationsTtftAndTpotAfterTheRunSummary) {
  const hw::SweepSpec spec = hw::parse_sweep_spec("format: npusim-sweep\nversion: 1\nworkloads:\n  - {model: tinyllama}\n"
                                                  "engines: [lut]\naxes:\n  - {path: generate.new_tokens, values: [0, 4, 8]}\n",
                                                  "spec.yaml");
  std::vector<PointResult> results = done_points(spec);
  hw::GenerationResult g;
  g.new_tokens = 4;
  g.prefill.total_ns = 1.25e6, g.prefill.energy_uj = 700;
  g.head.total_ns = 0.25e6, g.head.energy_uj = 100;
  g.decode = {{5, 6, 1, {}, 0, 0}, {7, 7, 2, {}, 0, 0}};  // contexts 5..6 at 2 ms a step, 7 at 2.5 ms
  g.decode[0].step.total_ns = 2e6, g.decode[0].step.energy_uj = 50;
  g.decode[1].step.total_ns = 2.5e6, g.decode[1].step.energy_uj = 100;
  results[1].generation = generation_figures(g);
  results[2].done = false, results[2].failed = true, results[2].error = "boom";
  const auto rows = rows_of(sweep_summary_csv(spec, results));
  ASSERT_EQ(rows.size(), 4u);
  const auto& header = rows[0];
  const std::vector<std::string> tail(header.end() - 9, header.end() - 1);
  EXPECT_EQ(tail, (std::vector<std::string>{"lutnn_energy_uj", "dsp_energy_uj", "ttft_ms", "tpot_mean_ms", "tpot_first_ms", "tpot_last_ms",
                                            "decode_tokens_per_s", "energy_per_token_mj"}));
  EXPECT_EQ(header.back(), "error");
  for (size_t i = 1; i < rows.size(); ++i) EXPECT_EQ(rows[i].size(), header.size()) << i;
  const auto cell = [&](size_t row, const std::string& name) { return rows[row][static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin())]; };
  // Independently: TTFT 1.25 + 0.25 ms; TPOT (2 + 2 + 2.5) / 3 ms; energy (700 + 100 + 50 + 50 + 100) / 4 uJ.
  EXPECT_EQ(cell(2, "ttft_ms"), "1.500000");
  EXPECT_EQ(cell(2, "tpot_mean_ms"), "2.166667");
  EXPECT_EQ(cell(2, "tpot_first_ms"), "2.000000");
  EXPECT_EQ(cell(2, "tpot_last_ms"), "2.500000");
  EXPECT_EQ(cell(2, "decode_tokens_per_s"), "461.538462");
  EXPECT_EQ(cell(2, "energy_per_token_mj"), "0.250000");
  for (const char* name : {"ttft_ms", "tpot_mean_ms", "decode_tokens_per_s", "energy_per_token_mj"}) {
    EXPECT_EQ(cell(1, name), "") << "no generation: " << name;
    EXPECT_EQ(cell(3, name), "") << "failed: " << name;
  }
  EXPECT_EQ(cell(3, "status"), "failed");
}

}  // namespace
}  // namespace npusim::cli
