#include "models/rtl/golden_port_protocol.hpp"

#include "common/error.hpp"

namespace npusim {

namespace {

nlohmann::ordered_json port(const std::string& name, const std::string& direction, const std::string& bits, const std::string& meaning) {
  return {{"name", name}, {"direction", direction}, {"bits", bits}, {"meaning", meaning}};
}

// What every unit shares: clock, reset, the valid handshake and the output collection check-rtl expects.
nlohmann::ordered_json common(const std::string& module, const std::string& word_bits, int latency_cycles) {
  nlohmann::ordered_json p;
  p["module"] = module;
  p["rtl"] = "hw/rtl/" + module + ".v";
  p["clock"] = "every input is sampled on the rising edge of clk; drive inputs on the falling edge";
  p["reset"] = "rst_n low for at least one rising edge, then high before the first table word";
  p["latency_cycles"] = latency_cycles;
  p["throughput"] = "LANES inputs per clock, no stalls: the pipeline accepts a word on every clock with in_valid = 1";
  p["stimulus"] = "after the table load (load_en = 0): in_valid = 1 and LANES consecutive words of stimulus.hex per clock, lane l in bits [" +
                  word_bits + "*l + " + word_bits + "-1 : " + word_bits + "*l], in file order; pad the last clock's unused lanes with 0 "
                  "and ignore their outputs";
  p["outputs"] = "out_valid = 1 marks a clock whose out_data holds the outputs of the words given latency_cycles clocks earlier, "
                 "in the same lanes; write them one hex word per line in stimulus order (exactly stimulus.count lines) and pass "
                 "the file to npusim check-rtl --actual";
  return p;
}

}  // namespace

nlohmann::ordered_json golden_port_protocol(const std::string& unit, const PortProtocolParameters& p) {
  if (unit == "bespoke_lut") {
    const int entries = (1 << p.index_bits) + 1;
    nlohmann::ordered_json r = common("bespoke_lut_unit", "16", 2);
    r["parameters"] = {{"LANES", "any >= 1"}, {"INDEX_BITS", p.index_bits}, {"HAS_DUAL", p.has_dual ? 1 : 0}};
    r["ports"] = {port("clk", "input", "1", "clock"), port("rst_n", "input", "1", "asynchronous reset, active low"),
                  port("load_en", "input", "1", "write load_data into the table entry load_addr"),
                  port("load_dual", "input", "1", "0: the base table, 1: the dual-range table"),
                  port("load_addr", "input", std::to_string(p.index_bits + 1), "table entry"),
                  port("load_data", "input", "16", "INT16 table entry"),
                  port("dual_enable", "input", "1", "1 when this instance's dual-range table is loaded; hold it for the whole run"),
                  port("in_valid", "input", "1", "in_code holds LANES codes"),
                  port("in_code", "input", "16*LANES", "16-bit input codes u (SPEC 2.2)"),
                  port("out_valid", "output", "1", "out_data holds LANES results"),
                  port("out_data", "output", "16*LANES", "INT16 interpolated outputs")};
    std::string load = "load_en = 1, one entry per clock: load_dual = 0, load_addr = 0.." + std::to_string(entries - 1) +
                       ", load_data = the word at that line of the base file";
    if (p.has_dual) load += "; then load_dual = 1, load_addr = 0..16, load_data = the word at that line of the dual file";
    r["table_load"] = load + "; dual_enable = " + (p.has_dual ? "1" : "0");
    return r;
  }
  if (unit == "bespoke_rr_lut") {
    nlohmann::ordered_json r = common("bespoke_rr_lut_unit", "32", 3);
    r["parameters"] = {{"LANES", "any >= 1"}, {"RSQRT", p.rsqrt ? 1 : 0}};
    r["ports"] = {port("clk", "input", "1", "clock"), port("rst_n", "input", "1", "asynchronous reset, active low"),
                  port("load_en", "input", "1", "write load_data into the table entry load_addr"),
                  port("load_addr", "input", "9", "table entry"), port("load_data", "input", "16", "INT16 table entry"),
                  port("in_valid", "input", "1", "in_code holds LANES inputs"),
                  port("in_code", "input", "32*LANES", "unsigned 32-bit input codes X"),
                  port("out_valid", "output", "1", "out_data holds LANES results"),
                  port("out_data", "output", "32*LANES", "per lane {11'b0, e[4:0], y[15:0]}")};
    r["table_load"] = "load_en = 1, one entry per clock: load_addr = 0..256, load_data = the word at that line of the base file";
    return r;
  }
  if (unit == "nnlut") {
    nlohmann::ordered_json r = common("nnlut_unit", "32", 2);
    r["parameters"] = {{"LANES", "any >= 1"}, {"SEGMENTS", p.segments}};
    r["ports"] = {port("clk", "input", "1", "clock"), port("rst_n", "input", "1", "asynchronous reset, active low"),
                  port("load_en", "input", "1", "write load_data into entry load_addr of the table load_sel names"),
                  port("load_sel", "input", "2", "0: breakpoints, 1: slopes, 2: intercepts"),
                  port("load_addr", "input", "8", "table entry"), port("load_data", "input", "32", "INT32 table entry"),
                  port("shift", "input", "6", "the manifest's shift; hold it for the whole run"),
                  port("in_valid", "input", "1", "in_x holds LANES inputs"),
                  port("in_x", "input", "32*LANES", "INT32 inputs"), port("out_valid", "output", "1", "out_y holds LANES results"),
                  port("out_y", "output", "32*LANES", "INT32 outputs")};
    r["table_load"] = "load_en = 1, one entry per clock: load_sel = 0 with load_addr = 0.." + std::to_string(p.segments - 2) +
                      " (breakpoints), then load_sel = 1 and load_sel = 2 with load_addr = 0.." + std::to_string(p.segments - 1) +
                      " (slopes, intercepts), each load_data the word at that line of its file; shift = " + std::to_string(p.shift);
    return r;
  }
  throw Error("no port protocol for unit '" + unit + "'");
}

}  // namespace npusim
