#include "run/child_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <utility>

#include "common/error.hpp"

extern char** environ;

namespace npusim::run {

std::string self_executable() {
  char buffer[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  if (n <= 0) throw Error("cannot find the npusim executable: " + std::string(std::strerror(errno)));
  return std::string(buffer, static_cast<size_t>(n));
}

pid_t start_self(const std::vector<std::string>& args, const std::string& stdout_path, const std::string& stderr_path) {
  return start_program(self_executable(), args, stdout_path, stderr_path);
}

pid_t start_program(const std::string& exe, const std::vector<std::string>& args, const std::string& stdout_path,
                    const std::string& stderr_path) {
  std::vector<std::string> argv_storage = {exe};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_storage) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!stdout_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  if (!stderr_path.empty()) {
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  pid_t pid = 0;
  const int status = posix_spawnp(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (status != 0) throw Error("cannot start " + exe + ": " + std::strerror(status));
  return pid;
}

pid_t fork_running(const std::function<int()>& body) {
  // Whatever is buffered now would otherwise be written twice, once by each process.
  std::cout.flush();
  std::cerr.flush();
  const pid_t pid = ::fork();
  if (pid < 0) throw Error("cannot start a child process: fork failed: " + std::string(std::strerror(errno)));
  if (pid > 0) return pid;
  int code = kChildFailed;
  try {
    code = body();
  } catch (const std::exception& e) {
    std::cerr << "npusim: error: " << e.what() << "\n";
  }
  std::cout.flush();
  std::cerr.flush();
  ::_exit(code);  // no atexit handlers: they belong to the parent
}

OutputRedirect::OutputRedirect(const std::string& stdout_path, const std::string& stderr_path) {
  std::cout.flush();
  std::cerr.flush();
  const int out = ::open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int err = out < 0 ? -1 : ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (err < 0) {
    const std::string reason = std::strerror(errno);
    if (out >= 0) ::close(out);
    throw Error("cannot write " + (out < 0 ? stdout_path : stderr_path) + ": " + reason);
  }
  saved_stdout_ = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
  saved_stderr_ = ::fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
  ::dup2(out, STDOUT_FILENO);
  ::dup2(err, STDERR_FILENO);
  ::close(out);
  ::close(err);
}

OutputRedirect::~OutputRedirect() {
  std::cout.flush();
  std::cerr.flush();
  for (const auto& [saved, fd] : {std::pair{saved_stdout_, STDOUT_FILENO}, std::pair{saved_stderr_, STDERR_FILENO}}) {
    if (saved < 0) continue;
    ::dup2(saved, fd);
    ::close(saved);
  }
}

int wait_child(pid_t pid, long* peak_rss_kib, double* cpu_seconds) {
  int status = 0;
  struct rusage usage {};
  while (::wait4(pid, &status, 0, &usage) < 0) {
    if (errno != EINTR) throw Error("waiting for a child process failed: " + std::string(std::strerror(errno)));
  }
  if (peak_rss_kib != nullptr) *peak_rss_kib = usage.ru_maxrss;
  if (cpu_seconds != nullptr) {
    const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
    *cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

}  // namespace npusim::run
