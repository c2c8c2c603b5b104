#include "hw/sim/units/dma.hpp"

#include <algorithm>

namespace npusim::hw {

Dma::Dma(sc_core::sc_module_name name, const UnitContext& context)
    : Unit(name, UnitRole::dma),
      dram_socket("dram_socket"),
      config_(context.config.dma),
      dram_latency_ns_(context.config.dram.latency_ns),
      log_(context.log),
      arbiter_(context.arbiter),
      channels_(static_cast<size_t>(context.config.dma.channels)),
      scratch_(static_cast<size_t>(context.config.dma.burst_bytes)) {
  for (size_t c = 0; c < channels_.size(); ++c) channels_[c].unit = path() + "." + std::to_string(c);
}

std::vector<UnitInfo> Dma::activity_units() const {
  std::vector<UnitInfo> units;
  for (const Channel& channel : channels_) units.push_back({channel.unit, UnitRole::dma});
  return units;
}

void Dma::serve(tlm::tlm_generic_payload& payload) {
  DmaCommand* command = nullptr;
  payload.get_extension(command);
  if (command == nullptr) {
    SC_REPORT_ERROR("npusim/sim", (path() + ": a payload without a DMA command").c_str());
    return;
  }
  transfer(*command);
}

void Dma::transfer(const DmaCommand& command) {
  if (command.bytes <= 0) return;
  const int c = command.channel % config_.channels;
  Channel& ch = channels_[static_cast<size_t>(c)];
  arbiter_.wait_turn(command.turn);
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
  payload.set_command(command.direction == DmaDirection::from_dram ? tlm::TLM_READ_COMMAND : tlm::TLM_WRITE_COMMAND);
  payload.set_data_ptr(scratch_.data());  // timing only: the DRAM moves no data
  payload.set_byte_enable_ptr(nullptr);
  // Pieces of whole bursts below 4 GiB, which the 32-bit payload length can carry.
  const int64_t piece_bytes = int64_t{config_.burst_bytes} * ((int64_t{1} << 30) / config_.burst_bytes);
  for (int64_t moved = 0; moved < command.bytes;) {
    const int64_t piece = std::min<int64_t>(piece_bytes, command.bytes - moved);
    payload.set_address(static_cast<uint64_t>(moved));
    payload.set_data_length(static_cast<unsigned>(piece));
    payload.set_streaming_width(static_cast<unsigned>(piece));
    payload.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    dram_socket->b_transport(payload, delay);
    sc_core::wait(delay);
    moved += piece;
  }
  payload.clear_extension(&channel_id);
  Activity a;
  a.op_index = command.turn.op;
  a.unit = ch.unit;
  a.role = UnitRole::dma;
  a.category = command.category;
  a.start_ns = start_ns;
  a.end_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
  a.bytes = command.bytes;
  a.dram_write = command.direction == DmaDirection::to_dram;
  a.traffic = command.traffic;
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
