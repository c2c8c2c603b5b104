// SPEC 4's three published blocks, the calibration of the paper NPU (docs/calibration.md): ViT-Base at
// 3 and 20 GB/s and TinyLlama-1.1B at 3 GB/s, DSP and LUT side by side as a user runs them. A change that
// moves a block out of the tolerances the calibration was done to fails here: within 10 % on the total
// and on the non-linear time, within 25 % on communication (the paper does not publish the 20 GB/s
// non-linear and communication rows).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <optional>

#include "common/atomic_file.hpp"
#include "common/json.hpp"
#include "tests/cli_runner.hpp"

namespace npusim {
namespace {

struct PaperFigures {
  double total_ms;
  std::optional<double> nonlinear_ms, communication_ms;
};

struct PublishedPoint {
  const char* model;
  const char* gbps;
  PaperFigures dsp, lut;
};

const PublishedPoint kPoints[] = {
    {"vit_base", "3", {16.73, 5.90, 1.74}, {12.87, 0.19, 0.94}},
    {"vit_base", "20", {8.47, std::nullopt, std::nullopt}, {3.87, std::nullopt, std::nullopt}},
    {"tinyllama", "3", {1506.05, 1113.26, 35.50}, {448.93, 27.20, 19.88}},
};

void expect_within(double npusim_ms, double paper_ms, double tolerance, const std::string& what) {
  EXPECT_LE(std::abs(npusim_ms / paper_ms - 1.0), tolerance) << what << ": npusim " << npusim_ms << " ms, paper " << paper_ms << " ms";
}

TEST(CalibrationPoints, EveryPublishedBlockIsWithinItsTolerance) {
  const std::string dir = testing::make_temp_dir("npusim_calibration");
  for (const PublishedPoint& p : kPoints) {
    const std::string args = std::string("run --model ") + p.model + " --engines dsp,lut --set dram.bandwidth_gbps=" + p.gbps;
    const auto r = testing::run_npusim(args + " --json " + dir + "/c.json");
    ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.err;
    const json::Value c = json::parse(read_file(dir + "/c.json"), "c.json");
    const auto& runs = c.find("runs")->items();
    ASSERT_EQ(runs.size(), 2u);
    for (size_t e = 0; e < 2; ++e) {
      const PaperFigures& paper = e == 0 ? p.dsp : p.lut;
      const json::Value& s = *runs[e].find("summary");
      const std::string what = args + (e == 0 ? " (dsp)" : " (lut)");
      expect_within(s.find("total_ns")->as_number() * 1e-6, paper.total_ms, 0.10, what + " total");
      if (paper.nonlinear_ms) expect_within(s.find("nonlinear_ns")->as_number() * 1e-6, *paper.nonlinear_ms, 0.10, what + " non-linear");
      if (paper.communication_ms) {
        expect_within(s.find("communication_ns")->as_number() * 1e-6, *paper.communication_ms, 0.25, what + " communication");
      }
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace npusim
