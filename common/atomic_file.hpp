// Result files are written to a temporary name and renamed, so a reader (or an interrupted run)
// sees either the old file or the complete new one, never a torn one.
#pragma once

#include <cstdio>
#include <string>

#include "common/read_limits.hpp"

namespace npusim {

// Writes `content` to `path` atomically; throws npusim::Error naming the path on failure.
// What `path` already is decides how: a regular file (or none) is replaced by a temporary renamed over
// it; a symlink stays and the file it points to is replaced (a dangling link's target is created); a
// character device (/dev/null) or a FIFO is written in place, not replaced; a folder, a block device or
// a socket is refused.
void write_file_atomically(const std::string& path, const std::string& content);

// A result file written as it is produced: it goes to a temporary name and replaces `path` only on
// commit(), so an interrupted writer leaves the old file (the temporary is removed on destruction).
// Paths that are not regular files are handled as write_file_atomically says (a device or a FIFO
// receives the text as it is written).
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::string path);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  void write(const std::string& text);
  void commit();  // throws npusim::Error naming the path on failure

 private:
  std::string path_;
  std::string destination_;  // the file the temporary replaces (path_ or a symlink's target), or the device
  std::string temporary_;    // empty when writing a device or FIFO in place
  std::FILE* file_ = nullptr;
  bool failed_ = false;
};

// Result files are fsync'ed before the rename, so they survive a power loss too. A sweep turns that
// off for its points (each point's record holds its result's digest, and --resume runs a point again
// whose result does not match), which saves a disk flush per file and point; forked points inherit it.
void set_durable_writes(bool durable);

// Reads a whole file of at most `limit` bytes (common/read_limits.hpp); throws npusim::Error naming the
// path when it cannot be read or is larger, naming the limit.
std::string read_file(const std::string& path, const ReadLimit& limit);
// A file npusim wrote itself (read_limits::own_file); readers of user files pass their own limit.
std::string read_file(const std::string& path);

// Creates `dir` (and parents) if missing and checks that files can be created in it.
void ensure_writable_directory(const std::string& dir);

}  // namespace npusim
