// npusim run --sensitivity: every calibrated constant at both ends of its range, each row the run a
// user would make with --set, and the speedup column the first total over the last.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "common/atomic_file.hpp"
#include "common/json.hpp"
#include "hw/config/calibration.hpp"
#include "tests/cli_runner.hpp"
#include "tests/tools/run_total.hpp"

namespace npusim {
namespace {

using testing::run_npusim;

// The cells of the table row starting with `constant value` (columns two or more spaces apart).
std::vector<std::string> row_of(const std::string& text, const std::string& constant, const std::string& value) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> cells;
    std::istringstream words(line);
    for (std::string w; words >> w;) cells.push_back(w);
    if (cells.size() > 2 && cells[0] == constant && cells[1] == value) return cells;
  }
  return {};
}

using testing::run_total_ms;

TEST(NpusimRunSensitivity, EachConstantsEndsAreTheRunsWithThatValueSet) {
  const auto r = run_npusim("run --model deit_tiny --engines dsp,lut --sensitivity");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const hw::CalibratedConstant& c : hw::calibrated_constants()) {
    EXPECT_NE(r.out.find(std::string(c.path) + " "), std::string::npos) << c.path << "\n" << r.out;
  }
  // The low end of the DRAM efficiency: the same totals as separate runs with --set, and the speedup
  // their ratio. Cells: constant, value, dsp ms, change, %, lut ms, change, %, speedup, change, %.
  const std::vector<std::string> row = row_of(r.out, "dram.efficiency", "0.5");
  ASSERT_GE(row.size(), 9u) << r.out;
  const double dsp = run_total_ms("--model deit_tiny --engines dsp --set dram.efficiency=0.5");
  const double lut = run_total_ms("--model deit_tiny --engines lut --set dram.efficiency=0.5");
  EXPECT_NEAR(std::stod(row[2]), dsp, 0.0005);
  EXPECT_NEAR(std::stod(row[5]), lut, 0.0005);
  EXPECT_NEAR(std::stod(row[8]), dsp / lut, 0.001);
  // Less efficient DRAM never makes the block faster.
  const std::vector<std::string> base = row_of(r.out, "(as", "configured)");
  ASSERT_GE(base.size(), 4u) << r.out;
  EXPECT_GE(std::stod(row[2]), std::stod(base[2]));
  EXPECT_NE(r.out.find("speedup over every constant's range: "), std::string::npos) << r.out;
}

TEST(NpusimRunSensitivity, FilesAndFunctionalChecksAreRefused) {
  const auto r = run_npusim("run --model deit_tiny --engines dsp,lut --sensitivity --json /tmp/x.json");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--sensitivity writes no files"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace npusim
