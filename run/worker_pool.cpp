#include "run/worker_pool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <deque>
#include <iostream>
#include <vector>

#include "common/error.hpp"
#include "run/child_process.hpp"

namespace npusim::run {

namespace {

bool write_all(int fd, const void* data, size_t size) {
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// False at the end of the pipe (the writer is gone) before `size` bytes.
bool read_all(int fd, void* data, size_t size) {
  char* p = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = ::read(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<size_t>(n);
  }
  return true;
}

// A worker's side: task indices in, exit codes out, until the pipe closes or a task fails.
int serve(int task_fd, int outcome_fd, const std::function<int(size_t)>& run_task) {
  for (uint64_t task = 0; read_all(task_fd, &task, sizeof task);) {
    int32_t code = kChildFailed;
    try {
      code = run_task(static_cast<size_t>(task));
    } catch (const std::exception& e) {
      std::cerr << "npusim: error: " << e.what() << "\n";
    }
    if (!write_all(outcome_fd, &code, sizeof code)) return kChildFailed;
    if (code != kChildOk) return code;
  }
  return kChildOk;
}

struct Worker {
  pid_t pid = -1;
  int task_fd = -1;     // this process writes task indices here...
  int outcome_fd = -1;  // ...and reads the worker's exit codes here
  bool busy = false;
  size_t task = 0;
  std::chrono::steady_clock::time_point start;
};

class WorkerPool {
 public:
  WorkerPool(int max_workers, const std::function<int(size_t)>& run_task) : max_workers_(max_workers), run_task_(run_task) {}
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  // Only when an exception leaves run_in_workers: the workers still alive are stopped.
  ~WorkerPool() {
    for (const Worker& w : workers_) {
      ::close(w.task_fd);
      ::close(w.outcome_fd);
      ::kill(w.pid, SIGKILL);
      wait_child(w.pid);
    }
  }

  void run(size_t task_count, const std::function<void(const TaskOutcome&)>& on_done) {
    size_t next = 0;
    std::deque<size_t> handed_back;  // tasks whose worker was gone before it could take them
    const auto pending = [&] { return !handed_back.empty() || next < task_count; };
    const auto take = [&] {
      if (handed_back.empty()) return next++;
      const size_t task = handed_back.front();
      handed_back.pop_front();
      return task;
    };
    // Hands worker i the next task; false (the task kept for another worker, this one retired) when
    // the worker is already gone.
    const auto assign_next = [&](size_t i) {
      const size_t task = take();
      if (hand_over(workers_[i], task)) return true;
      handed_back.push_front(task);
      retire(i);
      return false;
    };
    for (;;) {
      for (size_t i = 0; i < workers_.size();) {
        if (workers_[i].busy) {
          ++i;
        } else if (!pending()) {
          retire(i);  // its pipe closes, so it ends
        } else if (assign_next(i)) {
          ++i;
        }
      }
      while (workers_.size() < static_cast<size_t>(max_workers_) && pending()) {
        start_worker();
        // Workers that die before their first task would otherwise be started without end.
        if (!assign_next(workers_.size() - 1) && ++stillborn_ > 2 * max_workers_) {
          throw Error("worker processes die before they take a task; see the messages above");
        }
      }
      if (workers_.empty()) return;
      wait_for_outcomes(on_done);
    }
  }

 private:
  void start_worker() {
    int tasks[2], outcomes[2];
    if (::pipe2(tasks, O_CLOEXEC) != 0) throw Error("cannot start a worker: " + std::string(std::strerror(errno)));
    if (::pipe2(outcomes, O_CLOEXEC) != 0) {
      ::close(tasks[0]);
      ::close(tasks[1]);
      throw Error("cannot start a worker: " + std::string(std::strerror(errno)));
    }
    pid_t pid = -1;
    try {
      pid = fork_running([&] {
        // Another worker's pipes left open here would hide that worker's death from this process.
        for (const Worker& other : workers_) {
          ::close(other.task_fd);
          ::close(other.outcome_fd);
        }
        ::close(tasks[1]);
        ::close(outcomes[0]);
        return serve(tasks[0], outcomes[1], run_task_);
      });
    } catch (...) {
      for (const int fd : {tasks[0], tasks[1], outcomes[0], outcomes[1]}) ::close(fd);
      throw;
    }
    ::close(tasks[0]);
    ::close(outcomes[1]);
    Worker w;
    w.pid = pid;
    w.task_fd = tasks[1];
    w.outcome_fd = outcomes[0];
    workers_.push_back(w);
  }

  static bool hand_over(Worker& w, size_t task) {
    const uint64_t index = task;
    if (!write_all(w.task_fd, &index, sizeof index)) return false;
    w.busy = true;
    w.task = task;
    w.start = std::chrono::steady_clock::now();
    return true;
  }

  // Closes the worker's pipes and waits for it to end; its exit status.
  int retire(size_t i) {
    const Worker w = workers_[i];
    workers_.erase(workers_.begin() + static_cast<std::ptrdiff_t>(i));
    ::close(w.task_fd);
    ::close(w.outcome_fd);
    return wait_child(w.pid);
  }

  void wait_for_outcomes(const std::function<void(const TaskOutcome&)>& on_done) {
    std::vector<pollfd> fds;
    for (const Worker& w : workers_) fds.push_back({w.outcome_fd, POLLIN, 0});
    while (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno != EINTR) throw Error("waiting for workers failed: " + std::string(std::strerror(errno)));
    }
    std::vector<TaskOutcome> outcomes;
    // From the back, so that retiring a worker leaves the indices still to visit valid.
    for (size_t i = fds.size(); i-- > 0;) {
      if (fds[i].revents == 0) continue;
      Worker& w = workers_[i];
      TaskOutcome outcome;
      outcome.task = w.task;
      outcome.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - w.start).count();
      int32_t code = 0;
      if (read_all(w.outcome_fd, &code, sizeof code)) {
        outcome.status = code;
        w.busy = false;
        if (code != kChildOk) retire(i);
      } else {
        const int status = retire(i);
        outcome.status = status == kChildOk ? kChildFailed : status;
      }
      outcomes.push_back(outcome);
    }
    for (const TaskOutcome& outcome : outcomes) on_done(outcome);
  }

  const int max_workers_;
  int stillborn_ = 0;  // workers that died before taking a task
  const std::function<int(size_t)>& run_task_;
  std::vector<Worker> workers_;
};

// A worker that dies leaves a pipe without a reader: writing to it must fail, not end this process.
class IgnoreSigpipe {
 public:
  IgnoreSigpipe() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &previous_);
  }
  ~IgnoreSigpipe() { ::sigaction(SIGPIPE, &previous_, nullptr); }
  IgnoreSigpipe(const IgnoreSigpipe&) = delete;
  IgnoreSigpipe& operator=(const IgnoreSigpipe&) = delete;

 private:
  struct sigaction previous_ {};
};

}  // namespace

void run_in_workers(size_t task_count, int workers, const std::function<int(size_t)>& run_task,
                    const std::function<void(const TaskOutcome&)>& on_done) {
  if (workers < 1) throw Error("run_in_workers: at least one worker is needed");
  const IgnoreSigpipe ignore_sigpipe;
  WorkerPool pool(workers, run_task);
  pool.run(task_count, on_done);
}

}  // namespace npusim::run
