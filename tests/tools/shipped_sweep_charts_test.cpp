// Every shipped sweep spec (configs/sweeps/*.yaml) run end to end: summary.csv carries energy, every
// chart is an SVG a renderer reads (librsvg's rsvg-convert where installed; tools/setup.sh installs it),
// no wider than a screen with its title on it, and index.html shows each one.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <regex>

#include "common/atomic_file.hpp"
#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

bool contains(const std::string& text, const std::string& fragment) { return text.find(fragment) != std::string::npos; }

double attribute(const std::string& svg, const std::string& pattern) {
  std::smatch m;
  const std::regex re(pattern);
  return std::regex_search(svg, m, re) ? std::stod(m[1]) : -1;
}

class ShippedSweep : public ::testing::TestWithParam<std::string> {};

TEST_P(ShippedSweep, ChartsRenderAtAReadableWidthAndTheSummaryCarriesEnergy) {
  const std::string spec = std::string(NPUSIM_SOURCE_DIR) + "/configs/sweeps/" + GetParam() + ".yaml";
  const std::string dir = testing::make_temp_dir("npusim_shipped_sweep");
  const auto r = testing::run_npusim("sweep " + spec + " --out " + dir + "/out --jobs 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string summary = read_file(dir + "/out/summary.csv");
  EXPECT_TRUE(contains(summary.substr(0, summary.find('\n')), ",energy_uj,")) << summary.substr(0, 300);
  EXPECT_FALSE(contains(summary, ",failed,"));
  const std::string html = read_file(dir + "/out/index.html");
  const bool renderer = std::system("command -v rsvg-convert >/dev/null 2>&1") == 0;
  int charts = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir + "/out/plots")) {
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    const std::string svg = read_file(entry.path().string());
    const double width = attribute(svg, "<svg [^>]*width=\"([0-9.]+)\"");
    EXPECT_GT(width, 300);
    EXPECT_LE(width, 1700);
    const double title_x = attribute(svg, "class=\"title\" x=\"([0-9.]+)\"");
    EXPECT_GT(title_x, 0);
    EXPECT_LT(title_x, width);
    EXPECT_TRUE(contains(html, "src=\"plots/" + name + "\""));
    if (renderer) {
      EXPECT_EQ(std::system(("rsvg-convert " + entry.path().string() + " -o " + dir + "/chart.png 2>/dev/null").c_str()), 0);
    }
    ++charts;
  }
  EXPECT_GE(charts, 4);
  for (const char* prefix : {"breakdown_", "latency_vs_", "energy_vs_", "speedup_vs_"}) {
    EXPECT_TRUE(contains(html, std::string("src=\"plots/") + prefix)) << prefix;
  }
  EXPECT_TRUE(contains(html, "where the LUT gains most"));
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Specs, ShippedSweep,
                         ::testing::Values("bandwidth", "bandwidth_fine", "lanes", "array_size", "array_size_scaled_sram"));

// The shipped specs are all tested above.
TEST(ShippedSweeps, EverySpecInConfigsSweepsIsCovered) {
  std::vector<std::string> specs;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(NPUSIM_SOURCE_DIR) + "/configs/sweeps")) {
    const std::string text = read_file(entry.path().string());
    if (contains(text, "format: npusim-sweep")) specs.push_back(entry.path().stem().string());
  }
  std::sort(specs.begin(), specs.end());
  EXPECT_EQ(specs, (std::vector<std::string>{"array_size", "array_size_scaled_sram", "bandwidth", "bandwidth_fine", "lanes"}));
}

}  // namespace
}  // namespace npusim
