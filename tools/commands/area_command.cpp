// npusim area: the hardware-cost argument made measurable - Yosys cells, flip-flops and a NAND2-
// equivalent area of the LUT units.
#include <chrono>
#include <iostream>

#include "tools/cli.hpp"
#include "tools/commands.hpp"
#include "report/text_table.hpp"
#include "tools/yosys_area.hpp"

#ifndef NPUSIM_SOURCE_DIR
#define NPUSIM_SOURCE_DIR "."
#endif

namespace npusim::cli {

int run_area_command(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()
      ("lanes", po::value<int>()->default_value(1), "lookup lanes of each unit")
      ("rtl-dir", po::value<std::string>()->default_value(std::string(NPUSIM_SOURCE_DIR) + "/hw/rtl"), "folder of the Verilog sources");
  po::variables_map values;
  if (!parse_options("area", "npusim area [--lanes N]", options, args, values)) return kExitOk;
  const int lanes = values["lanes"].as<int>();
  if (lanes < 1 || lanes > 64) throw UsageError("area: --lanes must be in 1..64");
  const std::string rtl = values["rtl-dir"].as<std::string>() + "/";

  struct Variant {
    std::string name;
    std::vector<std::string> sources;
    std::string top;
    std::vector<std::pair<std::string, int>> parameters;
  };
  const std::vector<Variant> variants = {
      {"Bespoke LUT (8-bit index, 257 + 17 entries)", {rtl + "bespoke_lut_unit.v"}, "bespoke_lut_unit",
       {{"LANES", lanes}, {"INDEX_BITS", 8}, {"HAS_DUAL", 1}}},
      {"NN-LUT (16 segments, INT32 comparators and multiply-add)", {rtl + "nnlut_unit.v"}, "nnlut_unit",
       {{"LANES", lanes}, {"SEGMENTS", 16}}},
      {"uniform LUT (12-bit index, 4097 entries, no dual table)", {rtl + "bespoke_lut_unit.v"}, "bespoke_lut_unit",
       {{"LANES", lanes}, {"INDEX_BITS", 12}, {"HAS_DUAL", 0}}},
      // bespoke-rr: the 257-entry unit behind a leading-one detector and normalising shifter (and, for rsqrt,
      // a divide by three), one extra pipeline stage.
      {"bespoke-rr reciprocal (257 entries + leading-one detector, shifter)",
       {rtl + "bespoke_rr_lut_unit.v", rtl + "bespoke_lut_unit.v"}, "bespoke_rr_lut_unit", {{"LANES", lanes}, {"RSQRT", 0}}},
      {"bespoke-rr rsqrt (257 entries + leading-one detector, shifter, divide by 3)",
       {rtl + "bespoke_rr_lut_unit.v", rtl + "bespoke_lut_unit.v"}, "bespoke_rr_lut_unit", {{"LANES", lanes}, {"RSQRT", 1}}},
  };
  // Rough: synthesis time grows about linearly with the lanes (each lane a copy of the datapath; the
  // 4097-entry uniform table dominates); --lanes 8 took about 8 minutes on a 2-core machine.
  const int rough_minutes = lanes;
  std::cerr << "npusim: area: synthesising " << variants.size() << " units with Yosys at " << lanes << " lane"
            << (lanes > 1 ? "s" : "") << "; rough estimate: about " << rough_minutes << " minute" << (rough_minutes > 1 ? "s" : "")
            << " (grows with the lanes)\n";
  TextTable table({"unit", "cells", "flip-flops", "NAND2 equivalents"});
  const auto started = std::chrono::steady_clock::now();
  for (size_t i = 0; i < variants.size(); ++i) {
    const Variant& v = variants[i];
    const std::string prefix = "npusim: area: [" + std::to_string(i + 1) + "/" + std::to_string(variants.size()) + "] ";
    std::cerr << prefix << "synthesising " << v.name << "\n";
    const AreaEstimate a = synthesize_area(v.name, v.sources, v.top, v.parameters, [&](const std::string& step) {
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      std::cerr << prefix << step << " (" << static_cast<int64_t>(seconds) << " s)\n";
    });
    table.add_row({v.name, std::to_string(a.cells), std::to_string(a.flip_flops), format_number(a.nand2_equivalents, 6)});
  }
  std::cout << "Area proxy (Yosys generic cells, " << lanes << " lane" << (lanes > 1 ? "s" : "") << "):\n"
            << table.render()
            << "NAND2 equivalents weigh each generic cell by a typical standard-cell area; compare units with each\n"
               "other, not with a technology's figures.\n";
  return kExitOk;
}

}  // namespace npusim::cli
