// LUT-NN's functional model on a BERT-base FC1 layer (128 x 768 -> 3072, v = 32, K = 16), one core:
// rows per second of INT8 encoding, of table lookup and accumulation, and of the dense INT8 reference;
// and the time of a centroid-learning call with one update over 1024 calibration rows (its set-up,
// A = W W^T and the held-out split, included; `npusim lutnn eval` makes 150 updates).
#include <benchmark/benchmark.h>

#include "models/lutnn/activation_distribution.hpp"
#include "models/lutnn/centroid_learning.hpp"
#include "models/lutnn/int8_encoding.hpp"
#include "models/lutnn/int8_matmul.hpp"
#include "models/lutnn/lookup_accumulate.hpp"
#include "models/lutnn/pq_codebooks.hpp"
#include "models/lutnn/synthetic_weights.hpp"

namespace {

using namespace npusim::lutnn;

struct Fc1 {
  Matrix calibration = sample_activations(default_activation_distribution(), 768, 1024, 1, RowSet::calibration);
  Matrix input = sample_activations(default_activation_distribution(), 768, 128, 1, RowSet::evaluation);
  Matrix weights = synthetic_weights(768, 3072, 1);
  Codebooks codebooks = fit_pq_codebooks(calibration, {768, 3072, 32, 16});
  LutTables tables = build_int8_tables(codebooks, weights);
  float scale = input_scale(calibration);
};

const Fc1& fc1() {
  static const Fc1 layer;
  return layer;
}

void BM_LutnnEncodeRows(benchmark::State& state) {
  const Fc1& l = fc1();
  for (auto _ : state) benchmark::DoNotOptimize(encode_int8(l.input, l.codebooks, l.scale));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * l.input.rows);
}

void BM_LutnnLookupAccumulateRows(benchmark::State& state) {
  const Fc1& l = fc1();
  const std::vector<uint8_t> codes = encode_int8(l.input, l.codebooks, l.scale);
  for (auto _ : state) benchmark::DoNotOptimize(lookup_accumulate(l.tables, codes, l.input.rows));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * l.input.rows);
}

void BM_DenseInt8Rows(benchmark::State& state) {
  const Fc1& l = fc1();
  for (auto _ : state) benchmark::DoNotOptimize(int8_matmul(l.input, l.weights, l.scale));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * l.input.rows);
}

void BM_LutnnCentroidLearningUpdate(benchmark::State& state) {
  const Fc1& l = fc1();
  CentroidLearningOptions options;
  options.iterations = 1;
  for (auto _ : state) benchmark::DoNotOptimize(learn_centroids(l.calibration, l.weights, l.codebooks, options));
}

BENCHMARK(BM_LutnnEncodeRows)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LutnnLookupAccumulateRows)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DenseInt8Rows)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_LutnnCentroidLearningUpdate)->Unit(benchmark::kMillisecond);

}  // namespace
