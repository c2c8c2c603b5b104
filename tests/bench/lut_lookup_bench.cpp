// Throughput of the batched Bespoke LUT lookup against FP32 math and a plain int16 copy (the ceiling).
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "models/lut/bespoke_lut.hpp"

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

void lookup_benchmark(benchmark::State& state, npusim::DualRangeMode dual, npusim::LutKernel kernel) {
  npusim::LutOptions options;
  options.dual_range = dual;
  const auto lut = npusim::BespokeLut::build(npusim::Function::rsqrt, 1e-4, 4.0, options);
  if (!npusim::lut_kernel_supported(kernel, lut.index_bits())) {
    state.SkipWithError("kernel not supported on this CPU");
    return;
  }
  auto codes = random_codes();
  // Every 64th element in the first interval, so the dual-range path really runs when attached.
  for (size_t i = 0; i < codes.size(); i += 64) codes[i] = static_cast<uint16_t>(codes[i] & 0xFF);
  std::vector<int16_t> out(kElements);
  for (auto _ : state) {
    npusim::interpolate_batch_with(kernel, lut.packed(), codes.data(), out.data(), kElements);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_items(state);
}

// lookup_batch picks the best kernel; the others are listed to show what each CPU feature buys.
void BM_LutLookupBatch(benchmark::State& state) {
  npusim::LutOptions options;
  options.dual_range = npusim::DualRangeMode::off;
  const auto lut = npusim::BespokeLut::build(npusim::Function::gelu, -8.0, 8.0, options);
  const auto codes = random_codes();
  std::vector<int16_t> out(kElements);
  for (auto _ : state) {
    lut.lookup_batch(codes.data(), out.data(), kElements);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  set_items(state);
  state.SetLabel(std::string(npusim::lut_kernel_name(npusim::best_lut_kernel(lut.index_bits()))));
}
BENCHMARK(BM_LutLookupBatch);

void BM_LutKernel(benchmark::State& state) {
  lookup_benchmark(state, state.range(1) ? npusim::DualRangeMode::on : npusim::DualRangeMode::off,
                   static_cast<npusim::LutKernel>(state.range(0)));
  state.SetLabel(std::string(npusim::lut_kernel_name(static_cast<npusim::LutKernel>(state.range(0)))) +
                 (state.range(1) ? " +dual" : ""));
}
BENCHMARK(BM_LutKernel)
    ->ArgNames({"kernel", "dual"})
    ->ArgsProduct({{static_cast<int>(npusim::LutKernel::scalar), static_cast<int>(npusim::LutKernel::avx2),
                    static_cast<int>(npusim::LutKernel::avx512)},
                   {0, 1}});

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
