#include "common/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "common/error.hpp"

namespace npusim {

namespace {
std::string system_error_text() { return std::strerror(errno); }

bool durable_writes = true;

// Flushes the file, and, unless durable writes are off, waits until it is on the disk.
bool flush(std::FILE* file) { return std::fflush(file) == 0 && (!durable_writes || ::fsync(::fileno(file)) == 0); }

[[noreturn]] void fail_write(const std::string& path, const std::string& reason) { throw Error("cannot write " + path + ": " + reason); }

// Where a result for `path` goes. A regular file (or a new one) is replaced by renaming a temporary
// written beside it; through a symlink that is the file the link points to (a dangling link's target
// is created), so the link stays. A character device or a FIFO is written in place: renaming over
// /dev/null would turn it into a regular file. Folders, block devices and sockets are refused.
struct Destination {
  bool in_place = false;
  std::string file;  // what the rename replaces (or what is opened in place)
};

const char* refused_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISBLK(mode)) return "a block device (results go to files, character devices and pipes)";
  if (S_ISSOCK(mode)) return "a socket";
  return nullptr;
}

Destination destination_of(const std::string& path) {
  struct stat entry;
  if (::lstat(path.c_str(), &entry) != 0) {
    if (errno == ENOENT) return {false, path};
    fail_write(path, system_error_text());
  }
  const bool link = S_ISLNK(entry.st_mode);
  struct stat target;
  if (!link) {
    target = entry;
  } else if (::stat(path.c_str(), &target) != 0) {
    if (errno != ENOENT) fail_write(path, system_error_text());
    // A dangling link: follow it hop by hop to the name that does not exist yet.
    std::filesystem::path hop = path;
    for (int hops = 0; hops < 40; ++hops) {
      std::error_code code;
      const std::filesystem::path next = std::filesystem::read_symlink(hop, code);
      if (code) fail_write(path, code.message());
      hop = next.is_absolute() ? next : hop.parent_path() / next;
      if (!std::filesystem::is_symlink(std::filesystem::symlink_status(hop, code))) return {false, hop.string()};
    }
    fail_write(path, "too many levels of symbolic links");
  }
  if (const char* kind = refused_kind(target.st_mode)) fail_write(path, std::string(link ? "a symlink to " : "") + kind);
  if (S_ISCHR(target.st_mode) || S_ISFIFO(target.st_mode)) return {true, path};
  if (!link) return {false, path};
  char* real = ::realpath(path.c_str(), nullptr);
  if (real == nullptr) fail_write(path, system_error_text());
  const std::string file = real;
  std::free(real);
  return {false, file};
}

// Opens a device or FIFO for writing in place (never created, never truncated).
std::FILE* open_in_place(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) fail_write(path, system_error_text());
  std::FILE* file = ::fdopen(fd, "wb");
  if (file == nullptr) {
    const std::string reason = system_error_text();
    ::close(fd);
    fail_write(path, reason);
  }
  return file;
}

std::string temporary_beside(const std::string& file) { return file + ".tmp." + std::to_string(::getpid()); }

// Closes `file` (flushed to the disk when it is a regular file written durably) and, for a temporary,
// renames it over `destination`; on failure the temporary is removed and the error names `path`.
void finish(std::FILE* file, bool written, const std::string& temporary, const std::string& destination, const std::string& path) {
  const bool flushed = written && (temporary.empty() ? std::fflush(file) == 0 : flush(file));
  const int saved_errno = errno;
  const bool closed = std::fclose(file) == 0;
  if (!flushed || !closed) {
    if (!temporary.empty()) std::remove(temporary.c_str());
    errno = saved_errno;
    fail_write(path, system_error_text());
  }
  if (!temporary.empty() && std::rename(temporary.c_str(), destination.c_str()) != 0) {
    const std::string reason = system_error_text();
    std::remove(temporary.c_str());
    fail_write(path, reason);
  }
}
}  // namespace

void set_durable_writes(bool durable) { durable_writes = durable; }

void write_file_atomically(const std::string& path, const std::string& content) {
  AtomicFileWriter writer(path);
  writer.write(content);
  writer.commit();
}

AtomicFileWriter::AtomicFileWriter(std::string path) : path_(std::move(path)) {
  const Destination destination = destination_of(path_);
  destination_ = destination.file;
  if (destination.in_place) {
    file_ = open_in_place(destination_);
    return;
  }
  temporary_ = temporary_beside(destination_);
  file_ = std::fopen(temporary_.c_str(), "wb");
  if (file_ == nullptr) fail_write(path_, system_error_text());
}

AtomicFileWriter::~AtomicFileWriter() {
  if (file_ != nullptr) {
    std::fclose(file_);
    if (!temporary_.empty()) std::remove(temporary_.c_str());
  }
}

void AtomicFileWriter::write(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) failed_ = true;
}

void AtomicFileWriter::commit() {
  std::FILE* file = file_;
  file_ = nullptr;
  finish(file, !failed_, temporary_, destination_, path_);
}

std::string read_file(const std::string& path, const ReadLimit& limit) {
  std::error_code code;
  if (std::filesystem::is_directory(path, code)) throw Error("cannot read " + path + ": is a directory");
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (file == nullptr) throw Error("cannot read " + path + ": " + system_error_text());
  const auto too_large = [&] {
    const int64_t mib = limit.max_bytes / read_limits::kMiB;
    return Error("cannot read " + path + ": more than " + std::to_string(mib) + " MiB, the limit for " + limit.what);
  };
  std::string content;
  struct stat status;
  if (::fstat(::fileno(file.get()), &status) == 0 && S_ISREG(status.st_mode)) {
    if (status.st_size > limit.max_bytes) throw too_large();
    content.reserve(static_cast<size_t>(status.st_size));
  }
  // Devices and pipes have no size: read until the end or one chunk past the limit.
  std::vector<char> chunk(size_t{1} << 16);
  size_t got = 0;
  while ((got = std::fread(chunk.data(), 1, chunk.size(), file.get())) > 0) {
    if (static_cast<int64_t>(content.size() + got) > limit.max_bytes) throw too_large();
    content.append(chunk.data(), got);
  }
  if (std::ferror(file.get())) throw Error("cannot read " + path + ": " + system_error_text());
  return content;
}

std::string read_file(const std::string& path) { return read_file(path, read_limits::own_file); }

void ensure_writable_directory(const std::string& dir) {
  std::error_code code;
  std::filesystem::create_directories(dir, code);
  if (code) throw Error("cannot create directory " + dir + ": " + code.message());
  if (!std::filesystem::is_directory(dir, code)) throw Error("cannot use " + dir + ": not a directory");
  if (::access(dir.c_str(), W_OK | X_OK) != 0) {
    throw Error("cannot write into directory " + dir + ": " + system_error_text());
  }
}

}  // namespace npusim
