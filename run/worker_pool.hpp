// Tasks run in worker processes forked from this one that stay alive across tasks: a task costs its own
// work, not a process's start, its dynamic symbol binding and its first touches of memory (half of a
// small sweep point's time). Isolation holds where it matters: a task that fails or crashes ends its
// worker, and the tasks after it get a fresh one, so no task runs in a process another task broke.
#pragma once

#include <cstddef>
#include <functional>

namespace npusim::run {

struct TaskOutcome {
  size_t task = 0;
  // The task's result; 128 + signal when its worker died in it (a crash, a kill), or kChildFailed when
  // the worker ended without a word.
  int status = 0;
  double seconds = 0.0;  // from the task's hand-over to its outcome
};

// Runs tasks 0..task_count-1, in order of their index, in up to `workers` forked processes. In a worker,
// `run_task(i)` returns the task's exit code (an exception counts as kChildFailed); a non-zero code ends
// that worker. In this process, `on_done` hears of every task exactly once, as it ends. The caller must
// be single-threaded and must not have elaborated a SystemC design (each worker inherits this process).
void run_in_workers(size_t task_count, int workers, const std::function<int(size_t)>& run_task,
                    const std::function<void(const TaskOutcome&)>& on_done);

}  // namespace npusim::run
