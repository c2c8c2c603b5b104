// `npusim compare A B` end to end: two run folders side by side, engine by engine; every figure's
// difference and ratio checked against the runs' own report.json files read here.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "common/atomic_file.hpp"
#include "common/output_folder.hpp"
#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

using testing::run_npusim;

bool contains(const std::string& text, const std::string& fragment) { return text.find(fragment) != std::string::npos; }

// compare.csv: (engine, figure) -> {a, b, difference, ratio} as text.
std::map<std::pair<std::string, std::string>, std::vector<std::string>> rows_of(const std::string& csv) {
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> rows;
  std::istringstream lines(csv);
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "engine,figure,a,b,difference,ratio");
  while (std::getline(lines, line)) {
    std::vector<std::string> f;
    std::istringstream split(line + ",");
    for (std::string field; std::getline(split, field, ',');) f.push_back(field);
    EXPECT_EQ(f.size(), 6u) << line;
    if (f.size() == 6) rows[{f[0], f[1]}] = {f[2], f[3], f[4], f[5]};
  }
  return rows;
}

double summary_number(const std::string& report_path, const std::string& key) {
  const auto report = nlohmann::json::parse(read_file(report_path));
  return report.at("summary").at(key).get<double>();
}

class Compare : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = testing::make_temp_dir("npusim_compare");
    for (const auto& [name, args] : std::vector<std::pair<std::string, std::string>>{
             {"at3", "--engines dsp,lut"}, {"at20", "--engines dsp,lut --set dram.bandwidth_gbps=20"}, {"lut", "--engines lut"}}) {
      const auto r = run_npusim("run --model deit_tiny " + args + " --out " + dir_ + "/" + name);
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(dir_); }
  static std::string dir_;
};
std::string Compare::dir_;

TEST_F(Compare, TwoSideBySideRunsPairByEngineWithDifferencesAndRatios) {
  const auto r = run_npusim("compare " + dir_ + "/at3 " + dir_ + "/at20 --out " + dir_ + "/cmp");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "engine dsp")) << r.out;
  EXPECT_TRUE(contains(r.out, "engine lut"));
  EXPECT_LT(r.out.find("total latency (ms)"), r.out.find("busy time"));
  EXPECT_TRUE(contains(r.out, "config paper_npu dram.bandwidth_gbps=20"));
  const auto rows = rows_of(read_file(dir_ + "/cmp/compare.csv"));
  for (const std::string engine : {"dsp", "lut"}) {
    const double a = summary_number(dir_ + "/at3/" + engine + "/report.json", "total_ms");
    const double b = summary_number(dir_ + "/at20/" + engine + "/report.json", "total_ms");
    const auto& row = rows.at({engine, "total_ms"});
    EXPECT_NEAR(std::stod(row[0]), a, 1e-9) << engine;
    EXPECT_NEAR(std::stod(row[1]), b, 1e-9) << engine;
    EXPECT_NEAR(std::stod(row[2]), b - a, 1e-8) << engine;
    EXPECT_NEAR(std::stod(row[3]), b / a, 1e-8) << engine;
    EXPECT_LT(b, a) << "more bandwidth, less time";
    // Energy too, from the same files.
    const double ea = summary_number(dir_ + "/at3/" + engine + "/report.json", "energy_uj");
    EXPECT_NEAR(std::stod(rows.at({engine, "energy_uj"})[0]), ea, 1e-6);
  }
  // A zero in A has no ratio.
  EXPECT_EQ(rows.at({"lut", "critical_mau_dsp_communication_ms"})[3], "");
  const auto json = nlohmann::json::parse(read_file(dir_ + "/cmp/compare.json"));
  EXPECT_EQ(json.at("format"), "npusim-run-comparison");
  EXPECT_EQ(json.at("pairs").size(), 2u);
  EXPECT_NEAR(json.at("pairs").at(0).at("figures").at("total_ms").at("b").get<double>(),
              summary_number(dir_ + "/at20/dsp/report.json", "total_ms"), 1e-9);
  const OutputManifest m = parse_output_manifest(read_file(dir_ + "/cmp/" + kOutputManifestName), "m");
  EXPECT_EQ(m.kind, "compare");
  EXPECT_EQ(m.files, (std::vector<std::string>{"compare.csv", "compare.json", "compare.txt"}));
}

TEST_F(Compare, ASingleEngineRunMeetsItsEngineInASideBySideRun) {
  const auto r = run_npusim("compare " + dir_ + "/lut " + dir_ + "/at3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(contains(r.out, "engine lut"));
  EXPECT_FALSE(contains(r.out, "engine dsp\n"));
  EXPECT_TRUE(contains(r.out, "note: engine dsp: only in B")) << r.out;
  // Two single-engine runs of different engines compare with each other; a report.json path is a run.
  const auto cross = run_npusim("compare " + dir_ + "/at3/dsp/report.json " + dir_ + "/lut");
  ASSERT_EQ(cross.exit_code, 0) << cross.err;
  EXPECT_TRUE(contains(cross.out, "engine dsp / lut")) << cross.out;
}

TEST_F(Compare, WhatIsNotARunFolderIsAClearError) {
  const auto missing = run_npusim("compare " + dir_ + "/at3 " + dir_ + "/nowhere");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(contains(missing.err, dir_ + "/nowhere: no such run folder")) << missing.err;
  std::filesystem::create_directories(dir_ + "/empty");
  const auto empty = run_npusim("compare " + dir_ + "/at3 " + dir_ + "/empty");
  EXPECT_EQ(empty.exit_code, 1);
  EXPECT_TRUE(contains(empty.err, "not a folder written by 'npusim run --out'")) << empty.err;
  EXPECT_EQ(run_npusim("compare " + dir_ + "/at3").exit_code, 2);
  // A report.json is a user's file: an impossible count is an error naming its place, not a wrapped integer.
  std::string report = read_file(dir_ + "/lut/report.json");
  const size_t at = report.find("\"dram_bytes\": ") + 14;
  report.replace(at, report.find(',', at) - at, "1e300");
  write_file_atomically(dir_ + "/edited.json", report);
  const auto edited = run_npusim("compare " + dir_ + "/lut " + dir_ + "/edited.json");
  EXPECT_EQ(edited.exit_code, 1);
  EXPECT_TRUE(contains(edited.err, dir_ + "/edited.json:")) << edited.err;
  EXPECT_TRUE(contains(edited.err, "dram_bytes")) << edited.err;
  // --out into a folder of another kind of result is refused.
  ASSERT_EQ(run_npusim("golden --function gelu --range -8,8 --codes 10 --out " + dir_ + "/golden").exit_code, 0);
  const auto refused = run_npusim("compare " + dir_ + "/at3 " + dir_ + "/at20 --out " + dir_ + "/golden");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(contains(refused.err, "holds a golden result")) << refused.err;
}

}  // namespace
}  // namespace npusim
