// Rows per second of softmax and LayerNorm per method (197 x 197: a ViT attention map's rows; 2048 x 2048:
// an LLM's at 2048 tokens), one core. Each iteration quantizes the input, calibrates the per-layer
// tables and runs every row.
#include <benchmark/benchmark.h>

#include "models/composite_ops.hpp"

namespace {

void run(benchmark::State& state, npusim::CompositeOp op) {
  const auto method = static_cast<npusim::Method>(state.range(0));
  const int64_t n = state.range(1);
  const npusim::Rows rows = npusim::random_rows(n, n, "normal:0,3", 1);
  npusim::composite_run(method, op, rows);  // trains and caches NN-LUT tables outside the timing
  for (auto _ : state) benchmark::DoNotOptimize(npusim::composite_run(method, op, rows));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * n);  // rows
  state.SetLabel(std::string(npusim::method_name(method)));
}

void BM_SoftmaxRows(benchmark::State& state) { run(state, npusim::CompositeOp::softmax); }
void BM_LayerNormRows(benchmark::State& state) { run(state, npusim::CompositeOp::layernorm); }

BENCHMARK(BM_SoftmaxRows)->ArgsProduct({{0, 1, 2, 3, 4, 5}, {197, 2048}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LayerNormRows)->ArgsProduct({{0, 1, 2, 3, 4, 5}, {197, 2048}})->Unit(benchmark::kMillisecond);

}  // namespace
