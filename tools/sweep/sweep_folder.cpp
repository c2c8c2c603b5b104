#include "tools/sweep/sweep_folder.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <vector>

#include "common/atomic_file.hpp"
#include "common/error.hpp"

namespace npusim::cli {

namespace {

constexpr const char* kSweepFormat = "npusim-sweep-state";

// flock without waiting; false when another open file description holds a conflicting lock.
bool try_lock(int fd, int operation, const std::string& path) {
  while (::flock(fd, operation | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) return false;
    if (errno != EINTR) throw Error("cannot lock " + path + ": " + std::strerror(errno));
  }
  return true;
}

int open_lock_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw Error("cannot open " + path + ": " + std::strerror(errno));
  return fd;
}

}  // namespace

SweepLock::SweepLock(const std::string& out_dir, Kind kind) : out_dir_(out_dir) {
  ensure_writable_directory(out_dir);
  folder_fd_ = ::open(out_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder_fd_ < 0) throw Error("cannot open " + out_dir + ": " + std::strerror(errno));
  if (!try_lock(folder_fd_, kind == Kind::whole ? LOCK_EX : LOCK_SH, out_dir)) {
    ::close(folder_fd_);
    throw Error("another npusim sweep is writing to " + out_dir + " (it holds a lock on the folder): wait for it to end, or choose another folder");
  }
}

void SweepLock::hold_writer(const std::string& writer_name) {
  ensure_writable_directory((std::filesystem::path(out_dir_) / "results").string());
  const std::string writer_lock = (std::filesystem::path(out_dir_) / "results" / (writer_name + ".lock")).string();
  writer_fd_ = open_lock_file(writer_lock);
  if (!try_lock(writer_fd_, LOCK_EX, writer_lock)) {
    throw Error("another npusim sweep is running " + writer_name + " in " + out_dir_ + " (it holds " + writer_lock +
                "): wait for it to end, or choose another folder");
  }
}

SweepLock::~SweepLock() {
  if (writer_fd_ >= 0) ::close(writer_fd_);
  if (folder_fd_ >= 0) ::close(folder_fd_);
}

bool holds_sweep_results(const std::string& out_dir) {
  std::error_code code;
  const std::filesystem::path dir(out_dir);
  for (const auto& entry : std::filesystem::directory_iterator(dir / "results", code)) {
    if (entry.path().extension() == ".jsonl") return true;
  }
  return std::filesystem::exists(dir / "points", code);
}

void write_sweep_record(const std::string& out_dir, const std::string& spec_path, const std::string& spec_sha256) {
  nlohmann::ordered_json j;
  j["format"] = kSweepFormat;
  j["version"] = 2;  // 2: point ids from the points' content, records in results/*.jsonl
  j["spec"] = spec_path;
  j["spec_sha256"] = spec_sha256;
  write_file_atomically((std::filesystem::path(out_dir) / "sweep.json").string(), j.dump(2) + "\n");
}

std::string recorded_spec_sha256(const std::string& out_dir) {
  try {
    const nlohmann::json j = nlohmann::json::parse(read_file((std::filesystem::path(out_dir) / "sweep.json").string()));
    return j.at("spec_sha256").get<std::string>();
  } catch (const std::exception&) {
    return "";
  }
}

OutputFolder prepare_sweep_folder(const std::string& out_dir, const std::string& command, const OutputFolderOptions& options) {
  const std::string results = (std::filesystem::path(out_dir) / "results").string();
  ensure_writable_directory(results);
  const int fd = ::open(results.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw Error("cannot open " + results + ": " + std::strerror(errno));
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) {
      ::close(fd);
      throw Error("cannot lock " + results + ": " + std::strerror(errno));
    }
  }
  try {
    OutputFolder folder = OutputFolder::prepare(out_dir, "sweep", command, options);
    ::close(fd);
    return folder;
  } catch (...) {
    ::close(fd);
    std::error_code ignored;
    std::filesystem::remove(results, ignored);  // a refused folder keeps no trace of the sweep (only an empty folder goes)
    throw;
  }
}

std::vector<std::string> plot_files(const std::string& out_dir) {
  std::vector<std::string> files;
  std::error_code code;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(out_dir) / "plots", code)) {
    files.push_back("plots/" + entry.path().filename().string());
  }
  return files;
}

std::string point_dir(const std::string& out_dir, const std::string& point_id) {
  return (std::filesystem::path(out_dir) / "points" / point_id).string();
}

void clear_point(const std::string& point_dir) {
  std::error_code code;
  for (const char* name : {"result.json", "error.txt", "stdout.txt", "stderr.txt"}) std::filesystem::remove(point_dir + "/" + name, code);
  std::vector<std::filesystem::path> leftovers;  // temporary files of writes a kill interrupted
  for (const auto& entry : std::filesystem::directory_iterator(point_dir, code)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".tmp.") != std::string::npos || (name.size() > 5 && name.compare(name.size() - 5, 5, ".part") == 0)) {
      leftovers.push_back(entry.path());
    }
  }
  for (const auto& path : leftovers) std::filesystem::remove(path, code);
}

void publish_logs(const std::string& point_dir) {
  std::error_code code;
  for (const char* log : {"stdout.txt", "stderr.txt"}) std::filesystem::rename(point_dir + "/" + log + ".part", point_dir + "/" + log, code);
}

}  // namespace npusim::cli
