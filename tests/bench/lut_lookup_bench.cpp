// Throughput of the batched Bespoke LUT lookup against FP32 math and a plain int16 copy (the ceiling).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "models/bespoke_lut.hpp"

namespace {

constexpr size_t kElements = 1 << 16;  // 128 KiB in, 128 KiB out: stays in L2 like a tile in the MAU buffer

std::vector<uint16_t> random_codes() {
  std::mt19937 rng(42);
  std::uniform_int_distribution<int> dist(0, 65535);
  std::vector<uint16_t> codes(kElements);
  for (auto& c : codes) c = static_cast<uint16_t>(dist(rng));
  return codes;
}

void set_items(benchmark::State& state) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(kElements));
}

void BM_Int16Copy(benchmark::State& state) {
  const auto codes = random_codes();
  std::vector<int16_t> out(kElements);
  for (auto _ : state) {
    std::memcpy(out.data(), codes.data(), kElements * sizeof(int16_t));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_items(state);
}
BENCHMARK(BM_Int16Copy);

void lookup_benchmark(benchmark::State& state, npusim::DualRangeMode dual, bool simd) {
  npusim::LutOptions options;
  options.dual_range = dual;
  const auto lut = npusim::BespokeLut::build(npusim::Function::rsqrt, 1e-4, 4.0, options);
  auto codes = random_codes();
  // Every 64th element in the first interval, so the dual-range path really runs when attached.
  for (size_t i = 0; i < codes.size(); i += 64) codes[i] = static_cast<uint16_t>(codes[i] & 0xFF);
  std::vector<int16_t> out(kElements);
  for (auto _ : state) {
    if (simd) {
      lut.lookup_batch(codes.data(), out.data(), kElements);
    } else {
      npusim::interpolate_batch_scalar(lut.packed(), codes.data(), out.data(), kElements);
    }
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_items(state);
  state.SetLabel(simd && npusim::lut_simd_available() ? "avx2" : "scalar");
}

void BM_LutLookupBatch(benchmark::State& state) { lookup_benchmark(state, npusim::DualRangeMode::off, true); }
void BM_LutLookupBatchDual(benchmark::State& state) { lookup_benchmark(state, npusim::DualRangeMode::on, true); }
void BM_LutLookupScalar(benchmark::State& state) { lookup_benchmark(state, npusim::DualRangeMode::off, false); }
void BM_LutLookupScalarDual(benchmark::State& state) { lookup_benchmark(state, npusim::DualRangeMode::on, false); }
BENCHMARK(BM_LutLookupBatch);
BENCHMARK(BM_LutLookupBatchDual);
BENCHMARK(BM_LutLookupScalar);
BENCHMARK(BM_LutLookupScalarDual);

std::vector<float> random_floats() {
  std::mt19937 rng(7);
  std::normal_distribution<float> dist(0.0f, 3.0f);
  std::vector<float> x(kElements);
  for (auto& v : x) v = dist(rng);
  return x;
}

void BM_GeluErfFp32(benchmark::State& state) {
  const auto x = random_floats();
  std::vector<float> out(kElements);
  for (auto _ : state) {
    for (size_t i = 0; i < kElements; ++i) out[i] = 0.5f * x[i] * (1.0f + std::erf(x[i] * 0.70710678f));
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_items(state);
}
BENCHMARK(BM_GeluErfFp32);

void BM_ExpFp32(benchmark::State& state) {
  const auto x = random_floats();
  std::vector<float> out(kElements);
  for (auto _ : state) {
    for (size_t i = 0; i < kElements; ++i) out[i] = std::exp(x[i]);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_items(state);
}
BENCHMARK(BM_ExpFp32);

}  // namespace
