// Units of a user's own, bound from a config without editing npusim: the example plugin's units
// (examples/units/) selected by name after `--plugin`, end to end through the command line.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/atomic_file.hpp"
#include "common/json.hpp"
#include "tests/cli_runner.hpp"
#include "tests/tools/run_total.hpp"

namespace npusim {
namespace {

using testing::run_npusim;

const std::string kPlugin = std::string("--plugin ") + NPUSIM_EXAMPLE_UNITS;
const std::string kExamples = std::string(NPUSIM_SOURCE_DIR) + "/examples/";

using testing::run_total_ms;

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream s(line);
  for (std::string f; std::getline(s, f, ',');) fields.push_back(f);
  return fields;
}

// The banked LUT unit times each GELU lookup stream as ceil(lookups / 4) cycles (one lookup per element),
// whatever the configured lanes: every GELU activity of lut_unit in activities.csv says so.
TEST(UnitPlugin, AUserLutUnitSelectedFromYamlTimesItsOwnLookups) {
  const std::string dir = testing::make_temp_dir("npusim_banked");
  const auto r = run_npusim("run --no-defaults-note " + kPlugin + " --config " + kExamples + "banked_lut.yaml --model vit_base --out " + dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream csv(dir + "/activities.csv");
  std::string line;
  std::getline(csv, line);
  const std::vector<std::string> header = split(line);
  const auto column = [&](const std::string& name) {
    for (size_t i = 0; i < header.size(); ++i) {
      if (header[i] == name) return i;
    }
    ADD_FAILURE() << "no column " << name;
    return size_t{0};
  };
  const size_t unit = column("unit"), layer = column("layer"), start = column("start_ns"), end = column("end_ns"),
               elements = column("elements");
  int checked = 0;
  while (std::getline(csv, line)) {
    const std::vector<std::string> f = split(line);
    if (f.size() != header.size() || f[unit] != "lut_unit" || f[layer].find("gelu") == std::string::npos) continue;
    const double expected_ns = std::ceil(std::stod(f[elements]) / 4.0);
    EXPECT_NEAR(std::stod(f[end]) - std::stod(f[start]), expected_ns, 1e-6) << line;
    ++checked;
  }
  EXPECT_GT(checked, 0);
  // The same config without the plugin names the model nobody registered, where the file does.
  const auto refused = run_npusim("run --config " + kExamples + "banked_lut.yaml --model vit_base");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("banked_lut.yaml:5:10: lut_unit.model must be one of cpp, rtl, got 'banked'"), std::string::npos) << refused.err;
  std::filesystem::remove_all(dir);
}

// One port per DMA channel: with one channel there is nothing to share, so the run equals the built-in
// shared DRAM to the nanosecond; with the paper NPU's two channels, transfers stop sharing bandwidth and
// the transfer-bound block finishes sooner.
TEST(UnitPlugin, ADramBoundTheSameWayChangesOnlyWhatItShould) {
  const std::string dram = kPlugin + " --config " + kExamples + "port_per_channel_dram.yaml --model vit_base --engines lut";
  const std::string shared = "--model vit_base --engines lut";
  EXPECT_DOUBLE_EQ(run_total_ms(dram + " --set dma.channels=1"), run_total_ms(shared + " --set dma.channels=1"));
  const double ported = run_total_ms(dram), built_in = run_total_ms(shared);
  EXPECT_LT(ported, 0.9 * built_in) << ported << " vs " << built_in;
}

// A sweep loads the plugin once; its workers (forks) have the model, and so does sweep-merge.
TEST(UnitPlugin, ASweepOverAUserDramRunsEveryPoint) {
  const std::string dir = testing::make_temp_dir("npusim_plugin_sweep");
  {
    std::ofstream spec(dir + "/spec.yaml");
    spec << "format: npusim-sweep\nversion: 1\nbase_config: " << kExamples << "port_per_channel_dram.yaml\n"
         << "workloads:\n  - {model: deit_tiny}\nengines: [lut]\naxes:\n  - {path: dram.bandwidth_gbps, values: [3, 20]}\n";
  }
  const auto refused = run_npusim("sweep " + dir + "/spec.yaml --out " + dir + "/refused --jobs 2");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("port_per_channel_dram.yaml:6:10: dram.model must be one of"), std::string::npos) << refused.err;
  const auto r = run_npusim("sweep " + kPlugin + " " + dir + "/spec.yaml --out " + dir + "/out --jobs 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string summary = testing::read_whole_file(dir + "/out/summary.csv");
  EXPECT_EQ(std::count(summary.begin(), summary.end(), '\n'), 3) << summary;
  EXPECT_EQ(summary.find("failed"), std::string::npos) << summary;
  const auto merged = run_npusim("sweep-merge " + kPlugin + " " + dir + "/spec.yaml --out " + dir + "/merged " + dir + "/out");
  EXPECT_EQ(merged.exit_code, 0) << merged.err;
  std::filesystem::remove_all(dir);
}

TEST(UnitPlugin, APluginThatCannotBeLoadedIsAClearError) {
  const auto r = run_npusim("run --plugin /nonexistent/plugin.so --model vit_base");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot load plugin /nonexistent/plugin.so"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace npusim
