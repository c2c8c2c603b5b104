// The DRAM's burst-by-burst service, computed instead of simulated (plain class, no SystemC): each
// active transfer issues its next burst the moment its previous one ends; the DRAM serves burst
// requests first come, first served (same-time requests by channel number), one at a time at the
// configured bandwidth. Times are integer picoseconds, each burst's duration rounded as SystemC rounds
// an sc_time, so the result equals a burst-level simulation exactly while costing arithmetic per burst
// and SystemC events per transfer only.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace npusim::hw {

class DramSchedule {
 public:
  static constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

  DramSchedule(double bandwidth_gbps, int64_t burst_bytes, int channels);

  // What one burst of `bytes` occupies the DRAM for: sc_time(bytes / bandwidth, SC_NS) in ps.
  int64_t burst_ps(int64_t bytes) const;

  // A transfer of `bytes` on an idle `channel` issues its first burst request at `time_ps`.
  void start(int channel, int64_t bytes, int64_t time_ps);

  struct Burst {
    int64_t start_ps, end_ps, bytes;
  };
  // Serves every burst requested before `time_ps` (requests at `time_ps` may still tie with a transfer
  // starting then), appending each to `served`.
  void advance(int64_t time_ps, std::vector<Burst>& served);

  // Channels whose transfer's last burst has ended by `time_ps`; they become idle.
  std::vector<int> finish(int64_t time_ps);

  // When the next transfer finishes if no other transfer starts before then.
  int64_t next_completion_ps() const;

 private:
  struct Channel {
    bool active = false;
    int64_t remaining_bytes = 0;
    int64_t request_ps = 0;  // when its next burst is requested (the end of its previous one)
  };
  // The channel whose request the DRAM takes next, or -1.
  int next_request(int64_t before_ps) const;
  void serve(int channel, std::vector<Burst>* served);
  bool serve_rounds(int64_t before_ps, std::vector<Burst>* served);

  double bandwidth_gbps_;
  int64_t burst_bytes_;
  std::vector<Channel> channels_;
  int64_t free_ps_ = 0;  // when the DRAM finishes the bursts it has taken
};

}  // namespace npusim::hw
