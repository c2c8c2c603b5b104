#include "hw/cost/dram_schedule.hpp"
#include "hw/cost/transfer_time.hpp"

#include <algorithm>

namespace npusim::hw {

DramSchedule::DramSchedule(double bandwidth_gbps, int64_t burst_bytes, int channels)
    : bandwidth_gbps_(bandwidth_gbps), burst_bytes_(burst_bytes), channels_(static_cast<size_t>(channels)) {}

int64_t DramSchedule::burst_ps(int64_t bytes) const {
  // GB/s is bytes per ns; SystemC keeps times in resolution units (1 ps), rounding half up.
  const double ns = transfer_ns(bytes, bandwidth_gbps_);
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

// When every active channel is waiting on the DRAM (or only one is active), they take turns in a fixed
// order, one full burst each per round, every round alike: serve whole rounds at once, as many as all
// of them have full bursts for and whose requests come before `before_ps`. False if that is not the case.
bool DramSchedule::serve_rounds(int64_t before_ps, std::vector<Burst>* served) {
  std::vector<int> order;
  for (size_t i = 0; i < channels_.size(); ++i) {
    if (channels_[i].active && channels_[i].remaining_bytes > 0) order.push_back(static_cast<int>(i));
  }
  const int64_t burst_duration = burst_ps(burst_bytes_);
  if (order.empty() || burst_duration == 0) return false;
  int64_t start = free_ps_;
  if (order.size() == 1) start = std::max(start, channels_[static_cast<size_t>(order[0])].request_ps);
  int64_t rounds = std::numeric_limits<int64_t>::max();
  for (const int i : order) {
    const Channel& c = channels_[static_cast<size_t>(i)];
    if (c.request_ps > start || c.request_ps >= before_ps) return false;
    rounds = std::min(rounds, c.remaining_bytes / burst_bytes_);
  }
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return channels_[static_cast<size_t>(a)].request_ps < channels_[static_cast<size_t>(b)].request_ps;
  });
  const auto k = static_cast<int64_t>(order.size());
  // Round r's requests come no later than start + r k d: all of them must come before `before_ps`.
  if (before_ps != kNever) rounds = std::min(rounds, before_ps > start ? (before_ps - 1 - start) / (k * burst_duration) + 1 : 0);
  if (rounds < 2) return false;
  for (int64_t p = 0; p < k; ++p) {
    Channel& c = channels_[static_cast<size_t>(order[static_cast<size_t>(p)])];
    c.remaining_bytes -= rounds * burst_bytes_;
    c.request_ps = start + ((rounds - 1) * k + p + 1) * burst_duration;
  }
  free_ps_ = start + rounds * k * burst_duration;
  if (served != nullptr) served->push_back({start, free_ps_, rounds * k * burst_bytes_});
  return true;
}

void DramSchedule::advance(int64_t time_ps, std::vector<Burst>& served) {
  while (true) {
    if (serve_rounds(time_ps, &served)) continue;
    const int channel = next_request(time_ps);
    if (channel < 0) break;
    serve(channel, &served);
  }
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
  const auto finished = [&copy]() {
    int64_t first = kNever;
    for (const Channel& c : copy.channels_) {
      if (c.active && c.remaining_bytes == 0) first = std::min(first, c.request_ps);
    }
    return first;
  };
  while (true) {
    if (!copy.serve_rounds(earliest, nullptr)) {
      const int channel = copy.next_request(earliest);
      if (channel < 0) return earliest;
      copy.serve(channel, nullptr);
    }
    const int64_t first = finished();
    if (first < earliest) return first;
  }
}

}  // namespace npusim::hw
