// Verilator testbench of the Bespoke LUT unit: loads golden tables through the load port, streams the
// stimulus codes LANES at a time and writes one output word per line (hex) for `npusim check-rtl`.
// usage: bespoke_lut_vtb BASE.hex DUAL.hex|- STIMULUS.hex OUT.hex
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "Vbespoke_lut_unit.h"
#include "verilated.h"

namespace {

constexpr int kLanes = 4;  // matches -GLANES in CMakeLists.txt

std::vector<uint16_t> read_hex(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(1);
  }
  std::vector<uint16_t> words;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    words.push_back(static_cast<uint16_t>(std::stoul(line, nullptr, 16)));
  }
  return words;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s BASE.hex DUAL.hex|- STIMULUS.hex OUT.hex\n", argv[0]);
    return 2;
  }
  const auto context = std::make_unique<VerilatedContext>();
  const auto unit = std::make_unique<Vbespoke_lut_unit>(context.get());
  const std::vector<uint16_t> base = read_hex(argv[1]);
  const bool has_dual = std::string(argv[2]) != "-";
  const std::vector<uint16_t> dual = has_dual ? read_hex(argv[2]) : std::vector<uint16_t>();
  const std::vector<uint16_t> codes = read_hex(argv[3]);
  std::FILE* out = std::fopen(argv[4], "w");
  if (out == nullptr) {
    std::fprintf(stderr, "cannot write %s\n", argv[4]);
    return 1;
  }

  size_t written = 0;
  const auto tick = [&] {
    unit->clk = 0;
    unit->eval();
    unit->clk = 1;
    unit->eval();
    if (unit->out_valid) {
      for (int lane = 0; lane < kLanes && written < codes.size(); ++lane, ++written) {
        std::fprintf(out, "%04x\n", static_cast<unsigned>((unit->out_data >> (16 * lane)) & 0xFFFF));
      }
    }
  };

  unit->rst_n = 0;
  unit->in_valid = 0;
  unit->load_en = 0;
  tick();
  unit->rst_n = 1;
  unit->dual_enable = has_dual ? 1 : 0;
  for (size_t i = 0; i < base.size(); ++i) {
    unit->load_en = 1;
    unit->load_dual = 0;
    unit->load_addr = static_cast<uint32_t>(i);
    unit->load_data = base[i];
    tick();
  }
  for (size_t i = 0; i < dual.size(); ++i) {
    unit->load_en = 1;
    unit->load_dual = 1;
    unit->load_addr = static_cast<uint32_t>(i);
    unit->load_data = dual[i];
    tick();
  }
  unit->load_en = 0;
  for (size_t i = 0; i < codes.size(); i += kLanes) {
    uint64_t packed = 0;
    for (int lane = 0; lane < kLanes; ++lane) {
      const uint64_t code = i + lane < codes.size() ? codes[i + lane] : 0;
      packed |= code << (16 * lane);
    }
    unit->in_valid = 1;
    unit->in_code = packed;
    tick();
  }
  unit->in_valid = 0;
  for (int drain = 0; drain < 4; ++drain) tick();
  unit->final();
  std::fclose(out);
  return written == codes.size() ? 0 : 1;
}
