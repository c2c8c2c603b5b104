#include "hw/dram.hpp"

namespace npusim::hw {

Dram::Dram(sc_core::sc_module_name name, const DramConfig& config, ActivityLog& log)
    : sc_core::sc_module(name), socket("socket"), config_(config), log_(log) {
  socket.register_b_transport(this, &Dram::b_transport);
}

void Dram::b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
  const sc_core::sc_time arrival = sc_core::sc_time_stamp() + delay;
  const sc_core::sc_time start = arrival > busy_until_ ? arrival : busy_until_;
  const double bytes = static_cast<double>(payload.get_data_length());
  // GB/s is bytes per ns.
  busy_until_ = start + sc_core::sc_time(bytes / config_.bandwidth_gbps, sc_core::SC_NS);
  const double start_ns = start.to_seconds() * 1e9, end_ns = busy_until_.to_seconds() * 1e9;
  if (!log_.dram_busy_ns.empty() && log_.dram_busy_ns.back().second >= start_ns) {
    log_.dram_busy_ns.back().second = end_ns;
  } else {
    log_.dram_busy_ns.emplace_back(start_ns, end_ns);
  }
  if (payload.is_read()) {
    log_.dram_bytes_read += payload.get_data_length();
  } else {
    log_.dram_bytes_written += payload.get_data_length();
  }
  delay = busy_until_ - sc_core::sc_time_stamp();
  payload.set_response_status(tlm::TLM_OK_RESPONSE);
}

}  // namespace npusim::hw
