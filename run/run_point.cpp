#include "run/run_point.hpp"

#include "hw/plan/plan_builder.hpp"
#include "hw/sim/simulation.hpp"

namespace npusim::run {

bool RunPointResult::functional_passed() const {
  for (const auto& check : report.functional) {
    if (check.mismatches != 0) return false;
  }
  return true;
}

hw::ExecutionPlan plan_run(const hw::HwConfig& config, const workloads::Trace& trace, bool functional) {
  return hw::build_plan(trace, config, hw::PrepareOptions{functional});
}

std::string workload_label(const workloads::Trace& trace) {
  return trace.model + " (" + std::to_string(trace.ops.size()) + " ops)";
}

RunPointResult run_point(const hw::HwConfig& config, const workloads::Trace& trace, const RunPointOptions& options,
                         const std::vector<RunSink*>& sinks) {
  const hw::ExecutionPlan plan = plan_run(config, trace, options.functional);
  // The report is built while the simulation runs, beside whatever else the caller records.
  hw::ReportBuilder builder(config, plan);
  std::vector<hw::ActivitySink*> all = {&builder};
  for (RunSink* sink : sinks) {
    sink->begin(config, plan);
    all.push_back(sink);
  }
  hw::SimulationOptions simulation;
  simulation.functional = options.functional;
  simulation.seed = options.seed;
  const hw::SimulationResult simulated = hw::simulate(config, plan, simulation, all);
  RunPointResult result;
  result.report = builder.finish(simulated.total_ns, simulated.functional);
  result.report.workload = workload_label(trace);
  result.report.config_name = options.config_label.empty() ? config.name : options.config_label;
  result.warnings = simulated.warnings;
  for (RunSink* sink : sinks) sink->end();
  return result;
}

}  // namespace npusim::run
