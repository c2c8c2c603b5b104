// Child processes of npusim itself: SystemC elaborates one design per process, so runs that need
// several simulations (engines side by side, sweep points) start `npusim` again for each.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace npusim::cli {

// The path of the running npusim binary.
std::string self_executable();

// Starts `npusim args...`; stdout and stderr go to the files named (inherited when empty).
// Throws npusim::Error when the process cannot be started.
pid_t start_self(const std::vector<std::string>& args, const std::string& stdout_path = "",
                 const std::string& stderr_path = "");

// Waits for a child; its exit code, or 128 + signal when a signal ended it. With `peak_rss_kib`, also
// the child's peak resident memory.
int wait_child(pid_t pid, long* peak_rss_kib = nullptr);

}  // namespace npusim::cli
