#include "hw/sim/units/dram.hpp"

namespace npusim::hw {

namespace {

int64_t now_ps() { return static_cast<int64_t>(sc_core::sc_time_stamp().value()); }

int channel_of(tlm::tlm_generic_payload& payload) {
  DmaChannelExtension* extension = nullptr;
  payload.get_extension(extension);
  return extension != nullptr ? extension->channel : 0;
}

}  // namespace

Dram::Dram(sc_core::sc_module_name name, const HwConfig& config, ActivityLog& log)
    : sc_core::sc_module(name),
      socket("socket"),
      config_(config.dram),
      log_(log),
      schedule_(config.dram.bandwidth_gbps, config.dma.burst_bytes, config.dma.channels) {
  for (int c = 0; c < config.dma.channels; ++c) done_.push_back(std::make_unique<sc_core::sc_event>());
  socket.register_b_transport(this, &Dram::b_transport);
  SC_HAS_PROCESS(Dram);
  SC_METHOD(wake);
  sensitive << wake_event_;
  dont_initialize();
}

void Dram::b_transport(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
  count(payload);
  if (config_.model == DramModel::burst) {
    serve_burst(payload, delay);
  } else {
    serve_transfer(payload, delay);
  }
  payload.set_response_status(tlm::TLM_OK_RESPONSE);
}

void Dram::count(const tlm::tlm_generic_payload& payload) {
  if (payload.is_read()) {
    log_.dram_bytes_read += payload.get_data_length();
  } else {
    log_.dram_bytes_written += payload.get_data_length();
  }
}

void Dram::record_busy(double start_ns, double end_ns) { log_.record_dram_busy(start_ns, end_ns); }

// One burst: served after the bursts already accepted; the annotated delay ends with its last byte.
void Dram::serve_burst(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
  const sc_core::sc_time arrival = sc_core::sc_time_stamp() + delay;
  const sc_core::sc_time start = arrival > busy_until_ ? arrival : busy_until_;
  busy_until_ = start + sc_core::sc_time::from_value(static_cast<sc_dt::uint64>(schedule_.burst_ps(payload.get_data_length())));
  record_busy(start.to_seconds() * 1e9, busy_until_.to_seconds() * 1e9);
  delay = busy_until_ - sc_core::sc_time_stamp();
}

// A whole transfer: its bursts join the computed schedule; the caller blocks until the last one ends.
void Dram::serve_transfer(tlm::tlm_generic_payload& payload, sc_core::sc_time& delay) {
  sc_core::wait(delay);
  delay = sc_core::SC_ZERO_TIME;
  const int channel = channel_of(payload);
  served_.clear();
  schedule_.advance(now_ps(), served_);
  for (const auto& b : served_) record_busy(static_cast<double>(b.start_ps) * 1e-3, static_cast<double>(b.end_ps) * 1e-3);
  schedule_.start(channel, payload.get_data_length(), now_ps());
  schedule_wake();
  sc_core::wait(*done_[static_cast<size_t>(channel)]);
}

void Dram::wake() {
  served_.clear();
  schedule_.advance(now_ps(), served_);
  for (const auto& b : served_) record_busy(static_cast<double>(b.start_ps) * 1e-3, static_cast<double>(b.end_ps) * 1e-3);
  for (const int channel : schedule_.finish(now_ps())) done_[static_cast<size_t>(channel)]->notify();
  schedule_wake();
}

void Dram::schedule_wake() {
  wake_event_.cancel();
  const int64_t next = schedule_.next_completion_ps();
  if (next == DramSchedule::kNever) return;
  wake_event_.notify(sc_core::sc_time::from_value(static_cast<sc_dt::uint64>(next - now_ps())));
}

}  // namespace npusim::hw
