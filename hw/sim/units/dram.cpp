#include "hw/sim/units/dram.hpp"

#include <algorithm>

namespace npusim::hw {

namespace {

int64_t now_ps() { return static_cast<int64_t>(sc_core::sc_time_stamp().value()); }

}  // namespace

DramTarget::DramTarget(sc_core::sc_module_name name, const UnitContext& context)
    : sc_core::sc_module(name), socket("socket"), config_(context.config), log_(context.log) {
  socket.register_b_transport(this, &DramTarget::b_transport);
}

int DramTarget::channel_of(tlm::tlm_generic_payload& payload) {
  DmaChannelExtension* extension = nullptr;
  payload.get_extension(extension);
  return extension != nullptr ? extension->channel : 0;
}

void DramTarget::b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
  (payload.is_read() ? log_.dram_bytes_read : log_.dram_bytes_written) += payload.get_data_length();
  serve(payload, delay);
  payload.set_response_status(tlm::TLM_OK_RESPONSE);
}

TransactionDram::TransactionDram(sc_core::sc_module_name name, const UnitContext& context)
    : DramTarget(name, context),
      schedule_(context.config.dram.effective_bandwidth_gbps(), context.config.dma.burst_bytes, context.config.dma.channels) {
  for (int c = 0; c < context.config.dma.channels; ++c) done_.push_back(std::make_unique<sc_core::sc_event>());
  SC_HAS_PROCESS(TransactionDram);
  SC_METHOD(wake);
  sensitive << wake_event_;
  dont_initialize();
}

// A whole transaction: its bursts join the computed schedule; the caller blocks until the last one ends.
void TransactionDram::serve(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
  sc_core::wait(delay);
  delay = sc_core::SC_ZERO_TIME;
  const int channel = channel_of(payload);
  record_served();
  schedule_.start(channel, payload.get_data_length(), now_ps());
  schedule_wake();
  sc_core::wait(*done_[static_cast<size_t>(channel)]);
}

void TransactionDram::record_served() {
  served_.clear();
  schedule_.advance(now_ps(), served_);
  for (const auto& b : served_) record_busy(static_cast<double>(b.start_ps) * 1e-3, static_cast<double>(b.end_ps) * 1e-3);
}

void TransactionDram::wake() {
  record_served();
  for (const int channel : schedule_.finish(now_ps())) done_[static_cast<size_t>(channel)]->notify();
  schedule_wake();
}

void TransactionDram::schedule_wake() {
  wake_event_.cancel();
  const int64_t next = schedule_.next_completion_ps();
  if (next == DramSchedule::kNever) return;
  wake_event_.notify(sc_core::sc_time::from_value(static_cast<sc_dt::uint64>(next - now_ps())));
}

BurstDram::BurstDram(sc_core::sc_module_name name, const UnitContext& context)
    : DramTarget(name, context),
      schedule_(context.config.dram.effective_bandwidth_gbps(), context.config.dma.burst_bytes, context.config.dma.channels) {}

// Burst by burst: each is served after the bursts already accepted. The DMA waits out the last one's
// time (the annotated delay), as it would after a transaction of one burst.
void BurstDram::serve(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
  const int channel = channel_of(payload);
  const int64_t burst_bytes = config_.dma.burst_bytes;
  const int64_t total = payload.get_data_length();
  for (int64_t moved = 0; moved < total;) {
    const int64_t burst = std::min<int64_t>(burst_bytes, total - moved);
    // Same-time requests reach the DRAM in channel order.
    for (int d = 0; d < channel; ++d) sc_core::wait(sc_core::SC_ZERO_TIME);
    const sc_core::sc_time arrival = sc_core::sc_time_stamp() + delay;
    const sc_core::sc_time start = arrival > busy_until_ ? arrival : busy_until_;
    busy_until_ = start + sc_core::sc_time::from_value(static_cast<sc_dt::uint64>(schedule_.burst_ps(burst)));
    record_busy(start.to_seconds() * 1e9, busy_until_.to_seconds() * 1e9);
    delay = busy_until_ - sc_core::sc_time_stamp();
    moved += burst;
    if (moved < total) {
      sc_core::wait(delay);
      delay = sc_core::SC_ZERO_TIME;
    }
  }
}

}  // namespace npusim::hw
