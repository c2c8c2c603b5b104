// What a run's total latency is made of: every instant of [0, total] goes to exactly one latency
// category (or to idle), so the parts add up to the total, unlike busy times, which overlap. Busy time
// that ran under a higher-priority category is "overlapped": it cost nothing on the critical path.
// Plain code (no SystemC): fed with activity intervals, as the simulation records them or by hand.
#pragma once

#include <array>
#include <utility>
#include <vector>

#include "hw/metrics/activity.hpp"

namespace npusim::hw {

// Which category an instant belongs to when several are busy, highest first. Compute before data
// movement: a transfer that runs while a unit computes is hidden by double buffering, so the instant is
// spent computing. The MAU's work comes first because every engine choice needs it; non-linear compute
// and its decomposition steps are what the engine choice changes, so they take the instants the MAU
// leaves. Table loads and MAU<->DSP exchanges stall the engine that waits for them, ahead of the bulk
// weight and activation streams that prefetch in the background.
constexpr std::array<Category, kCategoryCount> kCriticalPriority = {
    Category::mau_compute,           Category::nonlinear_compute, Category::decomposition, Category::table_load,
    Category::mau_dsp_communication, Category::weight_dma,        Category::activation_dma,
};

struct CriticalPathTimes {
  std::array<double, kCategoryCount> critical_ns{};  // indexed by Category
  double idle_ns = 0.0;        // no category busy
  double overlapped_ns = 0.0;  // busy time of all categories minus the critical parts
  double sum_ns() const;       // critical parts plus idle: the total
};

struct CategoryInterval {
  Category category = Category::mau_compute;
  double start_ns = 0.0, end_ns = 0.0;
};

// Adds [start, end) to `intervals` (disjoint, sorted by start), merged with every interval it overlaps
// or touches, so that they stay disjoint and sorted.
void insert_merged(std::vector<std::pair<double, double>>& intervals, double start, double end);

// Streams intervals in the order a simulation records them: `close_before(t)` says no later interval
// starts before t, so the time line up to t is attributed and forgotten (memory stays bounded by the
// intervals still open).
class CriticalPathBuilder {
 public:
  void add(Category category, double start_ns, double end_ns);
  void close_before(double final_before_ns);
  // Attributes what is left up to `total_ns` (intervals past it are cut there).
  CriticalPathTimes finish(double total_ns);

 private:
  void attribute(double from_ns, double to_ns);

  std::array<std::vector<std::pair<double, double>>, kCategoryCount> open_;  // per category: disjoint, sorted
  std::array<double, kCategoryCount> busy_ns_{};
  CriticalPathTimes times_;
  double attributed_until_ns_ = 0.0;
};

// All intervals at once.
CriticalPathTimes critical_path(const std::vector<CategoryInterval>& intervals, double total_ns);

}  // namespace npusim::hw
