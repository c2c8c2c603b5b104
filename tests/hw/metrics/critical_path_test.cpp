// The critical-path attribution against hand-counted time lines and against a brute-force walk over
// unit time steps (written here from the documented priority, not from the code),.
#include "hw/metrics/critical_path.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>


namespace npusim::hw {
namespace {

constexpr double kTol = 1e-9;

size_t at(Category c) { return static_cast<size_t>(c); }

// Intervals with whole-number ends, inserted in random order, against a walk over unit steps: the
// list stays sorted and disjoint (touching intervals merge), and covers exactly the steps inserted.
TEST(CriticalPath, InsertMergedKeepsADisjointSortedUnion) {
  std::vector<std::pair<double, double>> touching;
  insert_merged(touching, 2, 3);
  insert_merged(touching, 0, 1);
  insert_merged(touching, 1, 2);
  EXPECT_EQ(touching, (std::vector<std::pair<double, double>>{{0, 3}}));
  std::mt19937 rng(5);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<std::pair<double, double>> intervals;
    std::vector<bool> covered(100, false);
    for (int n = 0; n < 12; ++n) {
      const int a = std::uniform_int_distribution<int>(0, 95)(rng);
      const int b = a + std::uniform_int_distribution<int>(1, 4)(rng);
      insert_merged(intervals, a, b);
      for (int t = a; t < b; ++t) covered[static_cast<size_t>(t)] = true;
    }
    for (size_t i = 0; i + 1 < intervals.size(); ++i) EXPECT_LT(intervals[i].second, intervals[i + 1].first) << trial;
    for (int t = 0; t < 100; ++t) {
      bool inside = false;
      for (const auto& [start, end] : intervals) inside = inside || (start <= t && t + 1 <= end);
      EXPECT_EQ(inside, covered[static_cast<size_t>(t)]) << "trial " << trial << " step " << t;
    }
  }
}

TEST(CriticalPath, HandMadeTimeLine) {
  // 0..10 weight DMA; 4..8 MAU; 6..12 LUT; 14..16 activation DMA; total 20.
  // mau 4..8 = 4; nonlinear 8..12 = 4; weight 0..4 = 4; activation 14..16 = 2; idle 12..14 + 16..20 = 6.
  const std::vector<CategoryInterval> intervals = {
      {Category::weight_dma, 0, 10},
      {Category::mau_compute, 4, 8},
      {Category::nonlinear_compute, 6, 12},
      {Category::activation_dma, 14, 16},
  };
  const CriticalPathTimes t = critical_path(intervals, 20);
  EXPECT_NEAR(t.critical_ns[at(Category::mau_compute)], 4, kTol);
  EXPECT_NEAR(t.critical_ns[at(Category::nonlinear_compute)], 4, kTol);
  EXPECT_NEAR(t.critical_ns[at(Category::weight_dma)], 4, kTol);
  EXPECT_NEAR(t.critical_ns[at(Category::activation_dma)], 2, kTol);
  EXPECT_NEAR(t.critical_ns[at(Category::decomposition)], 0, kTol);
  EXPECT_NEAR(t.idle_ns, 6, kTol);
  // Busy 10 + 4 + 6 + 2 = 22, critical 14: 8 hidden (weight DMA 6, LUT 2).
  EXPECT_NEAR(t.overlapped_ns, 8, kTol);
  EXPECT_NEAR(t.sum_ns(), 20, kTol);
}

TEST(CriticalPath, SameCategoryOverlapIsCountedOnceAndTheRestIsOverlapped) {
  // Two DMA channels streaming weights side by side: 0..6 and 2..8; total 8.
  const CriticalPathTimes t = critical_path({{Category::weight_dma, 0, 6}, {Category::weight_dma, 2, 8}}, 8);
  EXPECT_NEAR(t.critical_ns[at(Category::weight_dma)], 8, kTol);
  EXPECT_NEAR(t.idle_ns, 0, kTol);
  EXPECT_NEAR(t.overlapped_ns, 4, kTol);
}

TEST(CriticalPath, PriorityOrderIsTheDocumentedOne) {
  // Every category busy over 0..1, then each one alone in turn: the shared instant goes to the MAU.
  std::vector<CategoryInterval> intervals;
  for (int c = 0; c < kCategoryCount; ++c) {
    intervals.push_back({static_cast<Category>(c), 0, 1});
    intervals.push_back({static_cast<Category>(c), 1.0 + c, 2.0 + c});
  }
  const CriticalPathTimes t = critical_path(intervals, 1.0 + kCategoryCount);
  EXPECT_NEAR(t.critical_ns[at(Category::mau_compute)], 2, kTol);
  for (int c = 1; c < kCategoryCount; ++c) EXPECT_NEAR(t.critical_ns[static_cast<size_t>(c)], 1, kTol) << c;
  EXPECT_NEAR(t.overlapped_ns, kCategoryCount - 1, kTol);
  EXPECT_EQ(kCriticalPriority.front(), Category::mau_compute);
  EXPECT_EQ(kCriticalPriority[1], Category::nonlinear_compute);
  EXPECT_EQ(kCriticalPriority.back(), Category::activation_dma);
}

// Independent reference: walk unit steps; each step goes to the first busy category in the order the
// header documents (mau > nonlinear > decomposition > table load > MAU-DSP > weight DMA > activation DMA).
CriticalPathTimes brute_force(const std::vector<CategoryInterval>& intervals, int total) {
  const Category order[] = {Category::mau_compute,           Category::nonlinear_compute, Category::decomposition,
                            Category::table_load,            Category::mau_dsp_communication, Category::weight_dma,
                            Category::activation_dma};
  CriticalPathTimes t;
  double busy = 0;
  for (const auto& i : intervals) busy += i.end_ns - i.start_ns;
  for (int step = 0; step < total; ++step) {
    bool taken = false;
    for (const Category c : order) {
      for (const auto& i : intervals) {
        if (i.category == c && i.start_ns <= step && step + 1 <= i.end_ns) taken = true;
      }
      if (taken) {
        t.critical_ns[at(c)] += 1;
        break;
      }
    }
    if (!taken) t.idle_ns += 1;
  }
  double critical = 0;
  for (const double v : t.critical_ns) critical += v;
  t.overlapped_ns = busy - critical;
  return t;
}

TEST(CriticalPath, RandomTimeLinesMatchTheBruteForceWalkBatchedAndStreamed) {
  std::mt19937 rng(15);
  for (int round = 0; round < 300; ++round) {
    const int total = 1 + static_cast<int>(rng() % 60);
    std::vector<CategoryInterval> intervals;
    const int n = static_cast<int>(rng() % 25);
    for (int k = 0; k < n; ++k) {
      const int start = static_cast<int>(rng() % static_cast<unsigned>(total));
      const int end = start + 1 + static_cast<int>(rng() % static_cast<unsigned>(total - start));
      intervals.push_back({static_cast<Category>(rng() % kCategoryCount), double(start), double(end)});
    }
    const CriticalPathTimes expected = brute_force(intervals, total);
    // Streamed as a simulation would: in start order, each record promising no earlier start later.
    std::sort(intervals.begin(), intervals.end(), [](const auto& a, const auto& b) { return a.start_ns < b.start_ns; });
    CriticalPathBuilder streamed;
    for (const auto& i : intervals) {
      streamed.add(i.category, i.start_ns, i.end_ns);
      streamed.close_before(i.start_ns);
    }
    for (const CriticalPathTimes& got : {critical_path(intervals, total), streamed.finish(total)}) {
      for (int c = 0; c < kCategoryCount; ++c) {
        EXPECT_NEAR(got.critical_ns[static_cast<size_t>(c)], expected.critical_ns[static_cast<size_t>(c)], kTol) << round << " " << c;
      }
      EXPECT_NEAR(got.idle_ns, expected.idle_ns, kTol) << round;
      EXPECT_NEAR(got.overlapped_ns, expected.overlapped_ns, kTol) << round;
      EXPECT_NEAR(got.sum_ns(), total, kTol) << round;
    }
  }
}


}  // namespace
}  // namespace npusim::hw
