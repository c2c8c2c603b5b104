// The plan builder on one ViT-Base block (197 tokens), the paper NPU at three DRAM bandwidths: the
// tile search of every GEMM is most of a small sweep point's CPU time besides the simulation itself.
#include <benchmark/benchmark.h>

#include "hw/config/hw_config.hpp"
#include "hw/plan/plan_builder.hpp"
#include "workloads/model_zoo.hpp"

namespace {

void BM_BuildPlanVitBaseBlock(benchmark::State& state) {
  const npusim::workloads::Trace trace = npusim::workloads::generate_model("vit_base", {});
  npusim::hw::HwConfig config;
  config.dram.bandwidth_gbps = static_cast<double>(state.range(0)) / 10.0;
  for (auto _ : state) benchmark::DoNotOptimize(npusim::hw::build_plan(trace, config));
}

}  // namespace

// Bandwidth in tenths of GB/s: 0.5, 3 and 25 GB/s.
BENCHMARK(BM_BuildPlanVitBaseBlock)->Arg(5)->Arg(30)->Arg(250)->Unit(benchmark::kMicrosecond);
