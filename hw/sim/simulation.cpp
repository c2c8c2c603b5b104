#include "hw/sim/simulation.hpp"

#include <cstdlib>

#include <systemc>

#include "hw/sim/npu.hpp"
#include "common/error.hpp"

namespace npusim::hw {

namespace {

std::vector<std::string>* g_warnings = nullptr;
std::string g_error;  // the first SystemC error (including exceptions escaping a process)

// SystemC errors stop the simulation and become one npusim error after sc_start returns (throwing
// from inside the kernel would terminate the process); warnings are kept for the caller.
void report_handler(const sc_core::sc_report& report, const sc_core::sc_actions&) {
  if (report.get_severity() == sc_core::SC_INFO) return;
  std::string text = report.get_msg();
  if (text.empty()) text = report.get_msg_type();
  if (report.get_severity() == sc_core::SC_WARNING) {
    if (g_warnings != nullptr) g_warnings->push_back(std::string(report.get_msg_type()) + ": " + text);
    return;
  }
  if (g_error.empty()) g_error = text;
  if (sc_core::sc_is_running()) sc_core::sc_stop();
}

// SystemC 2.3 cannot restart or re-elaborate a context, so a later simulation gets a new one. The
// kernel reaches its context through these two globals of sc_simcontext.h, which is also how it creates
// the first one on demand. The first context is kept: the library's static events were registered in
// it and unregister from it at exit.
void start_fresh_context() {
  static sc_core::sc_simcontext* const first = sc_core::sc_curr_simcontext;
  sc_core::sc_simcontext* finished = sc_core::sc_curr_simcontext;
  sc_core::sc_curr_simcontext = new sc_core::sc_simcontext;
  sc_core::sc_default_global_context = sc_core::sc_curr_simcontext;
  if (finished != first) delete finished;
}

// The units' functional checks read the tables the prepare step built; a missing one would be found
// inside a SystemC thread, where nothing may be thrown.
void check_functional_tables(const ExecutionPlan& plan) {
  if (!plan.tables) throw Error("simulation: the plan has no prepared tables");
  for (size_t i = 0; i < plan.ops.size(); ++i) {
    const PlannedOp& op = plan.ops[i];
    if (op.work != OpWork::nonlinear) continue;
    for (const TableUse& table : op.tables) {
      if (op.engine == NonlinearEngine::nnlut && !plan.tables->has_nnlut(table.function)) {
        throw Error("simulation: a functional run needs its NN-LUT tables prepared (hw::PrepareOptions::functional)");
      }
      if (op.engine == NonlinearEngine::lut) (void)plan.tables->lut(static_cast<int>(i), table.function);
    }
  }
}

}  // namespace

SimulationResult simulate(const HwConfig& config, const ExecutionPlan& plan, const SimulationOptions& options,
                          const std::vector<ActivitySink*>& sinks) {
  // A failed simulation leaves its threads waiting in its context, and deleting that context would
  // unwind them on their own stacks: the process that saw a failure runs no further simulation (a sweep
  // worker ends after a failed point).
  static bool context_used = false, failed = false;
  if (failed) throw Error("simulation: an earlier simulation in this process failed; run the next one in a new process");
  if (context_used) start_fresh_context();
  context_used = true;
  g_error.clear();
  ::setenv("SYSC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  SimulationResult result;
  g_warnings = &result.warnings;
  sc_core::sc_report_handler::set_handler(report_handler);

  if (options.functional) check_functional_tables(plan);
  FunctionalChecker checker(options.seed);
  ActivityLog log;
  for (ActivitySink* sink : sinks) log.add_sink(sink);
  std::unique_ptr<Npu> npu;
  try {
    npu = std::make_unique<Npu>("npu", config, plan, log, options.functional ? &checker : nullptr);
  } catch (...) {
    failed = true;  // a half-elaborated design stays in this context
    throw;
  }
  log.announce_units(npu->units());
  sc_core::sc_start();
  log.finish();
  result.dram_bytes_read = log.dram_bytes_read;
  result.dram_bytes_written = log.dram_bytes_written;
  failed = !g_error.empty() || !npu->finished();
  if (!g_error.empty()) throw Error("simulation: " + g_error);
  if (!npu->finished()) throw Error("simulation: the plan did not finish (a dependency cycle or a deadlock)");
  result.total_ns = sc_core::sc_time_stamp().to_seconds() * 1e9;
  result.functional = checker.results();
  g_warnings = nullptr;
  return result;
}

}  // namespace npusim::hw
