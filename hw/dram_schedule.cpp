#include "hw/dram_schedule.hpp"

#include <algorithm>

namespace npusim::hw {

DramSchedule::DramSchedule(double bandwidth_gbps, int64_t burst_bytes, int channels)
    : bandwidth_gbps_(bandwidth_gbps), burst_bytes_(burst_bytes), channels_(static_cast<size_t>(channels)) {}

int64_t DramSchedule::burst_ps(int64_t bytes) const {
  // GB/s is bytes per ns; SystemC keeps times in resolution units (1 ps), rounding half up.
  const double ns = static_cast<double>(bytes) / bandwidth_gbps_;
  return static_cast<int64_t>(ns * 1000.0 + 0.5);
}

void DramSchedule::start(int channel, int64_t bytes, int64_t time_ps) {
  Channel& c = channels_[static_cast<size_t>(channel)];
  c.active = true;
  c.remaining_bytes = bytes;
  c.request_ps = time_ps;
}

int DramSchedule::next_request(int64_t before_ps) const {
  int best = -1;
  for (size_t i = 0; i < channels_.size(); ++i) {
    const Channel& c = channels_[i];
    if (!c.active || c.remaining_bytes == 0 || c.request_ps >= before_ps) continue;
    if (best < 0 || c.request_ps < channels_[static_cast<size_t>(best)].request_ps) best = static_cast<int>(i);
  }
  return best;
}

void DramSchedule::serve(int channel, std::vector<Burst>* served) {
  Channel& c = channels_[static_cast<size_t>(channel)];
  const int64_t bytes = std::min(burst_bytes_, c.remaining_bytes);
  const int64_t start = std::max(c.request_ps, free_ps_);
  free_ps_ = start + burst_ps(bytes);
  c.remaining_bytes -= bytes;
  c.request_ps = free_ps_;  // the next request, or the transfer's end
  if (served != nullptr) served->push_back({start, free_ps_, bytes});
}

void DramSchedule::advance(int64_t time_ps, std::vector<Burst>& served) {
  for (int channel = next_request(time_ps); channel >= 0; channel = next_request(time_ps)) serve(channel, &served);
}

std::vector<int> DramSchedule::finish(int64_t time_ps) {
  std::vector<int> done;
  for (size_t i = 0; i < channels_.size(); ++i) {
    Channel& c = channels_[i];
    if (c.active && c.remaining_bytes == 0 && c.request_ps <= time_ps) {
      c.active = false;
      done.push_back(static_cast<int>(i));
    }
  }
  return done;
}

int64_t DramSchedule::next_completion_ps() const {
  int64_t earliest = kNever;
  for (const Channel& c : channels_) {
    if (c.active && c.remaining_bytes == 0) earliest = std::min(earliest, c.request_ps);
  }
  // Serve the others on a copy until one of them has all its bursts taken.
  DramSchedule copy = *this;
  for (int channel = copy.next_request(kNever); channel >= 0; channel = copy.next_request(kNever)) {
    if (copy.channels_[static_cast<size_t>(channel)].request_ps >= earliest) break;
    copy.serve(channel, nullptr);
    const Channel& c = copy.channels_[static_cast<size_t>(channel)];
    if (c.remaining_bytes == 0) return std::min(earliest, c.request_ps);
  }
  return earliest;
}

}  // namespace npusim::hw
