#include "hw/sim/units/dma.hpp"

#include <algorithm>

#include "hw/sim/units/dram.hpp"

namespace npusim::hw {

Dma::Dma(sc_core::sc_module_name name, const HwConfig& config, ActivityLog& log, Arbiter& arbiter)
    : sc_core::sc_module(name),
      socket("socket"),
      config_(config.dma),
      dram_latency_ns_(config.dram.latency_ns),
      dram_model_(config.dram.model),
      log_(log),
      channels_(static_cast<size_t>(config.dma.channels)),
      arbiter_(arbiter),
      scratch_(static_cast<size_t>(config.dma.burst_bytes)) {}

void Dma::transfer(int channel, int64_t bytes, DmaDirection direction, Category category, TrafficKind traffic,
                   const Turn& turn) {
  if (bytes <= 0) return;
  const int c = channel % config_.channels;
  Channel& ch = channels_[static_cast<size_t>(c)];
  arbiter_.wait_turn(turn);
  if (ch.busy) {
    sc_core::sc_event handed_over;
    ch.waiting.push_back(&handed_over);
    sc_core::wait(handed_over);
  }
  ch.busy = true;
  const double start_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
  log_.open_transfer(start_ns);
  sc_core::wait(sc_core::sc_time(config_.setup_ns + dram_latency_ns_, sc_core::SC_NS));
  tlm::tlm_generic_payload payload;
  DmaChannelExtension channel_id;
  channel_id.channel = c;
  payload.set_extension(&channel_id);
  payload.set_command(direction == DmaDirection::from_dram ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND);
  payload.set_data_ptr(scratch_.data());  // timing only: the DRAM moves no data
  payload.set_byte_enable_ptr(nullptr);
  // Burst model: one transaction per burst. Transaction model: one per transfer (in pieces of whole
  // bursts below 4 GiB, which the 32-bit payload length can carry; the schedule joins them seamlessly).
  const int64_t piece_bytes = dram_model_ == DramModel::burst
                                  ? config_.burst_bytes
                                  : config_.burst_bytes * ((int64_t{1} << 30) / config_.burst_bytes);
  for (int64_t moved = 0; moved < bytes;) {
    const int64_t piece = std::min<int64_t>(piece_bytes, bytes - moved);
    payload.set_address(static_cast<uint64_t>(moved));
    payload.set_data_length(static_cast<unsigned>(piece));
    payload.set_streaming_width(static_cast<unsigned>(piece));
    payload.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    // Same-time requests reach the DRAM in channel order (the transaction model's arbitration).
    if (dram_model_ == DramModel::burst) {
      for (int d = 0; d < c; ++d) sc_core::wait(sc_core::SC_ZERO_TIME);
    }
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    socket->b_transport(payload, delay);
    sc_core::wait(delay);
    moved += piece;
  }
  payload.clear_extension(&channel_id);
  Activity a;
  a.op_index = turn.op;
  a.unit = "dma." + std::to_string(c);
  a.category = category;
  a.start_ns = start_ns;
  a.end_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
  a.bytes = bytes;
  a.dram_write = direction == DmaDirection::to_dram;
  a.traffic = traffic;
  log_.close_transfer(start_ns);
  log_.record(a, a.end_ns);
  if (ch.waiting.empty()) {
    ch.busy = false;
  } else {
    ch.waiting.front()->notify();
    ch.waiting.pop_front();
  }
}

}  // namespace npusim::hw
