#include "hw/sim/units/lut_unit_rtl.hpp"

#include "common/error.hpp"

#ifdef NPUSIM_HAVE_RTL_COSIM
#include "Vbespoke_lut_unit.h"
#else
class Vbespoke_lut_unit {};
#endif

namespace npusim::hw {

#ifdef NPUSIM_HAVE_RTL_COSIM

bool LutUnitRtl::available() { return true; }

LutUnitRtl::LutUnitRtl(sc_core::sc_module_name name, double clock_ns)
    : sc_core::sc_module(name),
      clock_("clock", sc_core::sc_time(clock_ns, sc_core::SC_NS)),
      rtl_(std::make_unique<Vbespoke_lut_unit>("rtl")) {
  rtl_->clk(clock_);
  rtl_->rst_n(rst_n_);
  rtl_->load_en(load_en_);
  rtl_->load_dual(load_dual_);
  rtl_->dual_enable(dual_enable_);
  rtl_->in_valid(in_valid_);
  rtl_->out_valid(out_valid_);
  rtl_->load_addr(load_addr_);
  rtl_->load_data(load_data_);
  rtl_->in_code(in_code_);
  rtl_->out_data(out_data_);
}

LutUnitRtl::~LutUnitRtl() = default;

void LutUnitRtl::cycle() {
  sc_core::wait(clock_.posedge_event());
  sc_core::wait(clock_.negedge_event());
}

std::vector<int16_t> LutUnitRtl::compute(const BespokeLut& lut, const std::vector<uint16_t>& codes) {
  if (lut.index_bits() != 8) throw Error("the RTL LUT unit has an 8-bit index; this table has " + std::to_string(lut.index_bits()));
  busy_.lock();
  if (!reset_done_) {
    rst_n_.write(false);
    cycle();
    rst_n_.write(true);
    reset_done_ = true;
  }
  in_valid_.write(false);
  const auto load = [&](const std::vector<int16_t>& table, bool dual) {
    for (size_t i = 0; i < table.size(); ++i) {
      load_en_.write(true);
      load_dual_.write(dual);
      load_addr_.write(static_cast<uint32_t>(i));
      load_data_.write(static_cast<uint16_t>(table[i]));
      cycle();
    }
  };
  load(lut.base_table(), false);
  load(lut.dual_table(), true);
  load_en_.write(false);
  dual_enable_.write(lut.has_dual_range());
  std::vector<int16_t> out;
  out.reserve(codes.size());
  const auto collect = [&] {
    if (!out_valid_.read()) return;
    const uint64_t word = out_data_.read();
    for (int lane = 0; lane < kLanes && out.size() < codes.size(); ++lane) {
      out.push_back(static_cast<int16_t>(static_cast<uint16_t>(word >> (16 * lane))));
    }
  };
  for (size_t i = 0; i < codes.size(); i += kLanes) {
    uint64_t packed = 0;
    for (int lane = 0; lane < kLanes; ++lane) {
      const uint64_t code = i + lane < codes.size() ? codes[i + lane] : 0;
      packed |= code << (16 * lane);
    }
    in_valid_.write(true);
    in_code_.write(packed);
    cycle();
    collect();
  }
  in_valid_.write(false);
  for (int drain = 0; drain < 3 && out.size() < codes.size(); ++drain) {
    cycle();
    collect();
  }
  busy_.unlock();
  return out;
}

#else

bool LutUnitRtl::available() { return false; }

LutUnitRtl::LutUnitRtl(sc_core::sc_module_name name, double clock_ns)
    : sc_core::sc_module(name), clock_("clock", sc_core::sc_time(clock_ns, sc_core::SC_NS)) {
  throw Error("lut_unit.model is rtl, but this npusim was built without Verilator (tools/setup.sh installs it)");
}

LutUnitRtl::~LutUnitRtl() = default;
void LutUnitRtl::cycle() {}
std::vector<int16_t> LutUnitRtl::compute(const BespokeLut&, const std::vector<uint16_t>&) { return {}; }

#endif

}  // namespace npusim::hw
