#include "hw/dma.hpp"

#include <algorithm>

namespace npusim::hw {

Dma::Dma(sc_core::sc_module_name name, const DmaConfig& config, double dram_latency_ns, ActivityLog& log)
    : sc_core::sc_module(name),
      socket("socket"),
      config_(config),
      dram_latency_ns_(dram_latency_ns),
      log_(log),
      scratch_(static_cast<size_t>(config.burst_bytes)) {
  for (int c = 0; c < config_.channels; ++c) {
    channel_locks_.push_back(std::make_unique<sc_core::sc_mutex>(sc_core::sc_gen_unique_name("channel")));
  }
}

void Dma::transfer(int channel, int64_t bytes, DmaDirection direction, Category category, TrafficKind traffic,
                   int op_index) {
  if (bytes <= 0) return;
  const int c = channel % config_.channels;
  sc_core::sc_mutex& lock = *channel_locks_[static_cast<size_t>(c)];
  lock.lock();
  const double start_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
  sc_core::wait(sc_core::sc_time(config_.setup_ns + dram_latency_ns_, sc_core::SC_NS));
  tlm::tlm_generic_payload payload;
  payload.set_command(direction == DmaDirection::from_dram ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND);
  payload.set_data_ptr(scratch_.data());
  payload.set_streaming_width(static_cast<unsigned>(config_.burst_bytes));
  payload.set_byte_enable_ptr(nullptr);
  for (int64_t moved = 0; moved < bytes;) {
    const int64_t burst = std::min<int64_t>(config_.burst_bytes, bytes - moved);
    payload.set_address(static_cast<uint64_t>(moved));
    payload.set_data_length(static_cast<unsigned>(burst));
    payload.set_streaming_width(static_cast<unsigned>(burst));
    payload.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(payload, delay);
    sc_core::wait(delay);
    moved += burst;
  }
  Activity a;
  a.op_index = op_index;
  a.unit = "dma." + std::to_string(c);
  a.category = category;
  a.start_ns = start_ns;
  a.end_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
  a.bytes = bytes;
  a.dram_write = direction == DmaDirection::to_dram;
  a.traffic = traffic;
  log_.activities.push_back(a);
  lock.unlock();
}

}  // namespace npusim::hw
