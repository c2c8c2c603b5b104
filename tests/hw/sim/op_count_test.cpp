// Traces far longer than any model block: the command processor keeps a bounded number of ops (and
// their SystemC threads) in flight, so the number of ops a simulation handles is bounded by memory, not
// by the process's thread stacks (vm.max_map_count), whether the ops are all ready at once or form a
// chain that streams row by row.
#include <gtest/gtest.h>

#include <string>

#include "hw/plan/plan_builder.hpp"
#include "hw/sim/simulation.hpp"
#include "workloads/trace.hpp"

namespace npusim::hw {
namespace {

using workloads::OpType;

workloads::TraceOp op(const std::string& id, OpType type, std::vector<std::string> deps) {
  workloads::TraceOp o;
  o.id = o.layer = id;
  o.type = type;
  o.inputs = {{16, 64}};
  o.output = {16, 64};
  o.deps = std::move(deps);
  if (type == OpType::matmul) o.weights = {64, 64};
  return o;
}

// Ops counted as the simulation's activity records, so a dropped op would show.
struct OpCounter : ActivitySink {
  std::vector<bool> seen;
  void on_activity(const Activity& a, double) override {
    if (a.op_index >= 0 && static_cast<size_t>(a.op_index) < seen.size()) seen[static_cast<size_t>(a.op_index)] = true;
  }
};

void run_all(const workloads::Trace& trace) {
  const HwConfig config;
  const ExecutionPlan plan = build_plan(trace, config);
  OpCounter counter;
  counter.seen.assign(trace.ops.size(), false);
  const SimulationResult result = simulate(config, plan, {}, {&counter});
  EXPECT_GT(result.total_ns, 0.0);
  size_t seen = 0, worked_on = 0;
  for (size_t i = 0; i < plan.ops.size(); ++i) {
    seen += counter.seen[i] ? 1 : 0;
    worked_on += plan.ops[i].work != OpWork::none ? 1 : 0;
  }
  EXPECT_EQ(seen, worked_on);
}

// As many as a trace may hold (the readers' limit): with one thread per op, most such runs aborted.
// The sanitizer leg runs the same paths at a tenth of the count (the count itself is the Release leg's).
#ifdef NPUSIM_SANITIZED_BUILD
constexpr int kOps = static_cast<int>(workloads::kMaxTraceOps) / 10;
#else
constexpr int kOps = static_cast<int>(workloads::kMaxTraceOps);
#endif

TEST(OpCount, ManyIndependentMatmulsAllReadyAtOnce) {
  workloads::Trace trace;
  trace.model = "independent";
  for (int i = 0; i < kOps; ++i) trace.ops.push_back(op("mm" + std::to_string(i), OpType::matmul, {}));
  run_all(trace);
}

TEST(OpCount, AChainOfReluThatStreamsRowByRow) {
  workloads::Trace trace;
  trace.model = "chain";
  trace.ops.push_back(op("x", OpType::reshape, {}));
  for (int i = 1; i < kOps; ++i) trace.ops.push_back(op("r" + std::to_string(i), OpType::relu, {trace.ops.back().id}));
  run_all(trace);
}

}  // namespace
}  // namespace npusim::hw
