#include "run/worker_pool.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <map>
#include <set>

#include "common/error.hpp"
#include "common/atomic_file.hpp"
#include "tests/cli_runner.hpp"
#include "run/child_process.hpp"

namespace npusim::run {
namespace {

// Each task writes the id of the process it ran in; tasks 3 and 9 fail (an exit code, an exception)
// and task 7 dies by a signal, as a crashing simulation would.
TEST(WorkerPool, EveryTaskIsReportedOnceAndAFailureEndsOnlyItsWorker) {
  const std::string dir = testing::make_temp_dir("npusim_workers");
  constexpr size_t kTasks = 24;
  std::map<size_t, int> status_of;
  size_t reports = 0;
  run_in_workers(
      kTasks, 2,
      [&](size_t task) {
        write_file_atomically(dir + "/" + std::to_string(task), std::to_string(::getpid()));
        if (task == 3) return kChildFailed;
        if (task == 7) ::raise(SIGKILL);
        if (task == 9) throw Error("task 9 cannot go on");
        return kChildOk;
      },
      [&](const TaskOutcome& outcome) {
        ++reports;
        EXPECT_EQ(status_of.count(outcome.task), 0u) << "task " << outcome.task << " reported twice";
        status_of[outcome.task] = outcome.status;
        EXPECT_GE(outcome.seconds, 0.0);
      });
  EXPECT_EQ(reports, kTasks);
  ASSERT_EQ(status_of.size(), kTasks);
  for (const auto& [task, status] : status_of) {
    const int expected = task == 3 || task == 9 ? kChildFailed : task == 7 ? 128 + SIGKILL : kChildOk;
    EXPECT_EQ(status, expected) << "task " << task;
  }
  std::map<size_t, std::string> pid_of;
  std::set<std::string> pids;
  for (size_t task = 0; task < kTasks; ++task) {
    pid_of[task] = read_file(dir + "/" + std::to_string(task));
    pids.insert(pid_of[task]);
  }
  EXPECT_EQ(pids.count(std::to_string(::getpid())), 0u) << "a task ran in the calling process";
  // Workers stay alive across tasks: two at first, and one more after each of the three failures.
  EXPECT_LE(pids.size(), 5u);
  // No task runs in a process that an earlier task failed in.
  for (const size_t failed : {size_t{3}, size_t{7}, size_t{9}}) {
    for (size_t later = failed + 1; later < kTasks; ++later) EXPECT_NE(pid_of[later], pid_of[failed]) << later << " after " << failed;
  }
  std::filesystem::remove_all(dir);
}

// An exception in this process's handler stops the workers instead of leaving them running.
TEST(WorkerPool, AnErrorInTheCallerStopsTheWorkers) {
  size_t reports = 0;
  EXPECT_THROW(run_in_workers(
                   100, 2, [](size_t) { return kChildOk; },
                   [&](const TaskOutcome&) {
                     if (++reports == 3) throw Error("cannot record the outcome");
                   }),
               Error);
  EXPECT_EQ(reports, 3u);
  // Every worker was waited for: this process has no child left.
  errno = 0;
  EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST(WorkerPool, NoTasksStartNoWorkersAndSigpipeIsRestored) {
  run_in_workers(0, 4, [](size_t) -> int { ADD_FAILURE() << "no task to run"; return kChildFailed; },
                 [](const TaskOutcome&) { ADD_FAILURE() << "no task to report"; });
  struct sigaction current {};
  ::sigaction(SIGPIPE, nullptr, &current);
  EXPECT_EQ(current.sa_handler, SIG_DFL);
  EXPECT_THROW(run_in_workers(1, 0, [](size_t) { return kChildOk; }, [](const TaskOutcome&) {}), Error);
}

}  // namespace
}  // namespace npusim::run
