#include "hw/metrics/critical_path.hpp"

#include <algorithm>

namespace npusim::hw {

namespace {

using Intervals = std::vector<std::pair<double, double>>;  // disjoint, sorted

// `remaining` minus `taken` (both disjoint and sorted); returns the length removed.
double subtract(Intervals& remaining, const Intervals& taken) {
  Intervals left;
  double removed = 0.0;
  size_t t = 0;
  for (auto [start, end] : remaining) {
    while (t < taken.size() && taken[t].second <= start) ++t;
    size_t u = t;
    while (start < end && u < taken.size() && taken[u].first < end) {
      if (taken[u].first > start) left.emplace_back(start, taken[u].first);
      const double cut_end = std::min(end, taken[u].second);
      removed += cut_end - std::max(start, taken[u].first);
      start = cut_end;
      if (taken[u].second <= end) ++u;
      else break;
    }
    if (start < end) left.emplace_back(start, end);
  }
  remaining = std::move(left);
  return removed;
}

}  // namespace

double CriticalPathTimes::sum_ns() const {
  double sum = idle_ns;
  for (const double v : critical_ns) sum += v;
  return sum;
}

void insert_merged(std::vector<std::pair<double, double>>& intervals, double start, double end) {
  auto it = intervals.begin();
  while (it != intervals.end() && it->second < start) ++it;
  while (it != intervals.end() && it->first <= end) {
    start = std::min(start, it->first);
    end = std::max(end, it->second);
    it = intervals.erase(it);
  }
  intervals.insert(it, {start, end});
}

void CriticalPathBuilder::add(Category category, double start_ns, double end_ns) {
  if (!(end_ns > start_ns)) return;
  const size_t c = static_cast<size_t>(category);
  busy_ns_[c] += end_ns - start_ns;
  start_ns = std::max(start_ns, attributed_until_ns_);  // only a misordered record reaches back
  if (!(end_ns > start_ns)) return;
  insert_merged(open_[c], start_ns, end_ns);
}

void CriticalPathBuilder::attribute(double from_ns, double to_ns) {
  if (!(to_ns > from_ns)) return;
  Intervals remaining = {{from_ns, to_ns}};
  for (const Category category : kCriticalPriority) {
    times_.critical_ns[static_cast<size_t>(category)] += subtract(remaining, open_[static_cast<size_t>(category)]);
  }
  for (const auto& [start, end] : remaining) times_.idle_ns += end - start;
  attributed_until_ns_ = to_ns;
  for (Intervals& open : open_) {
    while (!open.empty() && open.front().second <= to_ns) open.erase(open.begin());
    if (!open.empty()) open.front().first = std::max(open.front().first, to_ns);
  }
}

void CriticalPathBuilder::close_before(double final_before_ns) { attribute(attributed_until_ns_, final_before_ns); }

CriticalPathTimes CriticalPathBuilder::finish(double total_ns) {
  attribute(attributed_until_ns_, total_ns);
  CriticalPathTimes times = times_;
  double busy = 0.0, critical = 0.0;
  for (size_t c = 0; c < busy_ns_.size(); ++c) busy += busy_ns_[c], critical += times.critical_ns[c];
  times.overlapped_ns = std::max(0.0, busy - critical);
  return times;
}

CriticalPathTimes critical_path(const std::vector<CategoryInterval>& intervals, double total_ns) {
  CriticalPathBuilder builder;
  for (const auto& i : intervals) builder.add(i.category, i.start_ns, i.end_ns);
  return builder.finish(total_ns);
}

}  // namespace npusim::hw
