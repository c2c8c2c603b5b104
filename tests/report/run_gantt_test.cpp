// A run's Gantt chart (report/run_gantt.hpp): one bar per op from its start to its end, coloured by its
// engine with the same colour in every run; one per layer group when a run has too many ops to list.
#include "report/run_gantt.hpp"

#include <gtest/gtest.h>

#include <array>
#include <map>
#include <regex>

namespace npusim::hw {
namespace {

RunReport report_with_ops(size_t ops) {
  RunReport r;
  r.workload = "w";
  r.engines = "lut";
  for (size_t i = 0; i < ops; ++i) {
    OpReport o;
    o.id = "op" + std::to_string(i);
    o.type = "matmul";
    o.layer = "blocks." + std::to_string(i / 10) + ".fc";
    o.engine = i % 2 ? "lut" : "mau";
    o.start_ns = 1e5 * static_cast<double>(i);
    o.end_ns = o.start_ns + 1.5e5;
    r.ops.push_back(o);
  }
  for (size_t b = 0; b * 10 < ops; ++b) r.layers.push_back({"blocks." + std::to_string(b), 1e6 * static_cast<double>(b), 1e6 * static_cast<double>(b + 1), {}, 0, 0, 0});
  return r;
}

TEST(RunGantt, OneBarPerOpFromItsStartToItsEnd) {
  const RunReport r = report_with_ops(19);
  const std::string svg = run_gantt_svg(r);
  const std::regex bar("class=\"op\" data-op=\"([^\"]+)\" data-start=\"([^\"]+)\" data-end=\"([^\"]+)\"[^>]*fill=\"(#[0-9a-f]+)\"");
  std::vector<std::array<std::string, 4>> bars;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), bar); it != std::sregex_iterator(); ++it) bars.push_back({(*it)[1], (*it)[2], (*it)[3], (*it)[4]});
  ASSERT_EQ(bars.size(), 19u);
  std::map<std::string, std::string> colour_of_engine;
  for (size_t i = 0; i < bars.size(); ++i) {
    EXPECT_EQ(bars[i][0], r.ops[i].id + " (matmul)");
    EXPECT_DOUBLE_EQ(std::stod(bars[i][1]), r.ops[i].start_ns * 1e-6);
    EXPECT_DOUBLE_EQ(std::stod(bars[i][2]), r.ops[i].end_ns * 1e-6);
    const auto [it, added] = colour_of_engine.emplace(r.ops[i].engine, bars[i][3]);
    EXPECT_EQ(it->second, bars[i][3]) << "one colour per engine";
  }
  EXPECT_NE(colour_of_engine["mau"], colour_of_engine["lut"]);
  // The MAU has the same colour in a run without LUT ops.
  RunReport mau_only = report_with_ops(1);
  const std::string other = run_gantt_svg(mau_only);
  EXPECT_NE(other.find("fill=\"" + colour_of_engine["mau"] + "\""), std::string::npos);
  EXPECT_NE(svg.find("time (ms)"), std::string::npos);
}

TEST(RunGantt, ARunWithMoreOpsThanFitGetsARowPerLayerGroup) {
  const RunReport r = report_with_ops(kGanttMaxRows + 1);
  const std::string svg = run_gantt_svg(r);
  size_t rows = 0;
  for (size_t at = svg.find("class=\"op\""); at != std::string::npos; at = svg.find("class=\"op\"", at + 1)) ++rows;
  EXPECT_EQ(rows, r.layers.size());
  EXPECT_NE(svg.find("data-op=\"blocks.3\""), std::string::npos);
  EXPECT_NE(svg.find("one row per layer group"), std::string::npos);
}

}  // namespace
}  // namespace npusim::hw
