// Child processes of npusim itself: simulations that run side by side (engines compared in one run)
// each need a process, and sweep workers are forked copies of the sweep (run/worker_pool.hpp).
#pragma once

#include <functional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace npusim::run {

// What a child ends with: npusim's own exit codes for success and for an error (tools/cli.hpp checks
// that they agree), so a forked body and a started npusim read alike.
constexpr int kChildOk = 0;
constexpr int kChildFailed = 1;

// The path of the running npusim binary.
std::string self_executable();

// Starts `npusim args...`; stdout and stderr go to the files named (inherited when empty).
// Throws npusim::Error when the process cannot be started.
pid_t start_self(const std::vector<std::string>& args, const std::string& stdout_path = "",
                 const std::string& stderr_path = "");

// Starts the program `exe` (looked up on the PATH when it has no slash) with `args`; outputs as above.
pid_t start_program(const std::string& exe, const std::vector<std::string>& args, const std::string& stdout_path = "",
                    const std::string& stderr_path = "");

// Runs `body` in a forked copy of this process, without exec: no dynamic linking and no static
// initialisation again (two thirds of a small run's CPU time), yet a body that crashes or exits takes
// only its own process with it. The child exits with body's return value (kChildFailed when it throws)
// and runs no atexit handlers. The caller must be single-threaded and must not have elaborated a
// SystemC design (a fork inherits it).
pid_t fork_running(const std::function<int()>& body);

// While it lives, this process's stdout and stderr go to the files named (created or truncated); then
// back to where they went before. Throws npusim::Error when a file cannot be opened.
class OutputRedirect {
 public:
  OutputRedirect(const std::string& stdout_path, const std::string& stderr_path);
  ~OutputRedirect();
  OutputRedirect(const OutputRedirect&) = delete;
  OutputRedirect& operator=(const OutputRedirect&) = delete;

 private:
  int saved_stdout_ = -1;
  int saved_stderr_ = -1;
};

// Waits for a child; its exit code, or 128 + signal when a signal ended it. With `peak_rss_kib` and
// `cpu_seconds`, also the child's peak resident memory and its user + system time.
int wait_child(pid_t pid, long* peak_rss_kib = nullptr, double* cpu_seconds = nullptr);

}  // namespace npusim::run
