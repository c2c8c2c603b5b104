// Composite ops per method (197 x 197: a ViT attention map's rows; 2048 x 2048 and 4096 x 4096: an LLM's),
// one core: the rows' generation, the method's preparation (quantization, calibration, tables) and the
// measurement of its error (output in row blocks through the batched lookup kernel, the reference, the
// metrics) timed apart, and the whole `npusim accuracy --op` path together. Compare the 4096 x 4096
// softmax with a NumPy float64 softmax of the same rows in the same session (docs/development.md, "Benchmarks").
#include <benchmark/benchmark.h>

#include "models/methods/approximation_error.hpp"
#include "models/composite/composite_error.hpp"
#include "models/composite/composite_ops.hpp"

namespace {

npusim::Method method_of(const benchmark::State& state) { return npusim::all_methods()[static_cast<size_t>(state.range(0))]; }

void BM_RandomRows(benchmark::State& state) {
  const int64_t n = state.range(0);
  for (auto _ : state) benchmark::DoNotOptimize(npusim::random_rows(n, n, "normal:0,3", 1));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * n * n);
}

void run(benchmark::State& state, npusim::CompositeOp op) {
  const npusim::Method method = method_of(state);
  const int64_t n = state.range(1);
  const npusim::Rows rows = npusim::random_rows(n, n, "normal:0,3", 1);
  npusim::CompositeComputation(method, op, rows);  // trains and caches NN-LUT tables outside the timing
  for (auto _ : state) {
    const npusim::CompositeComputation computation(method, op, rows);
    benchmark::DoNotOptimize(npusim::measure_composite(computation));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * n * n);  // elements
  state.SetLabel(std::string(npusim::method_name(method)));
}

void BM_SoftmaxRows(benchmark::State& state) { run(state, npusim::CompositeOp::softmax); }
void BM_LayerNormRows(benchmark::State& state) { run(state, npusim::CompositeOp::layernorm); }
void BM_RmsNormRows(benchmark::State& state) { run(state, npusim::CompositeOp::rmsnorm); }

// The phases of the 4096 x 4096 softmax apart: preparation, then output blocks and references.
void BM_SoftmaxPhases(benchmark::State& state) {
  const npusim::Rows rows = npusim::random_rows(4096, 4096, "normal:0,3", 1);
  const bool prepare_only = state.range(0) == 0;
  const npusim::CompositeComputation prepared(npusim::Method::bespoke, npusim::CompositeOp::softmax, rows);
  std::vector<double> y(static_cast<size_t>(16 * 4096));
  for (auto _ : state) {
    if (prepare_only) {
      benchmark::DoNotOptimize(npusim::CompositeComputation(npusim::Method::bespoke, npusim::CompositeOp::softmax, rows));
    } else {
      for (int64_t first = 0; first < 4096; first += 16) prepared.output(first, 16, y.data());
      benchmark::DoNotOptimize(y.data());
    }
  }
  state.SetLabel(prepare_only ? "prepare (quantize, calibrate)" : "output in 16-row batched blocks");
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 4096 * 4096);
}

// SiLU over a range through the batched evaluation (the function mode of `npusim accuracy`).
void BM_SiluFunction(benchmark::State& state) {
  const auto approximation = npusim::approximate(npusim::Method::bespoke, npusim::Function::silu, -8, 8);
  for (auto _ : state) benchmark::DoNotOptimize(npusim::measure_approximation(*approximation, npusim::Function::silu, -8, 8));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 256 * 64);
}

BENCHMARK(BM_RandomRows)->Arg(4096)->Unit(benchmark::kMillisecond);
// Methods by their index in all_methods(): 0 fp32, 1 bespoke, 2 bespoke-rr, ..., 6 ibert, 8 ivit.
BENCHMARK(BM_SoftmaxRows)->ArgsProduct({{0, 1, 2, 3, 4, 6, 7, 8, 9}, {197, 2048}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SoftmaxRows)->Args({1, 4096})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LayerNormRows)->ArgsProduct({{0, 1, 2, 4, 6, 8}, {197, 2048}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RmsNormRows)->ArgsProduct({{1, 2}, {2048}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SoftmaxPhases)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SiluFunction)->Unit(benchmark::kMicrosecond);

}  // namespace
