// A private folder (mkdtemp: mode 0700) for worker processes' results and logs, removed with its contents
// when it goes out of scope.
#pragma once

#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

#include "common/error.hpp"

namespace npusim::run {

class ScratchFolder {
 public:
  // `prefix`: the folder's name in the temporary directory, before its random suffix.
  explicit ScratchFolder(const std::string& prefix = "npusim_run_") {
    std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) throw Error("cannot create a temporary folder in " + pattern + ": " + std::strerror(errno));
    path_ = pattern;
  }
  ~ScratchFolder() {
    std::error_code code;
    std::filesystem::remove_all(path_, code);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  std::string file(const std::string& name, const std::string& suffix = "") const { return path_ + "/" + name + suffix; }

 private:
  std::string path_;
};

}  // namespace npusim::run
