#include "common/atomic_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.hpp"

namespace npusim {

namespace {
std::string system_error_text() { return std::strerror(errno); }

bool durable_writes = true;

// Flushes the file, and, unless durable writes are off, waits until it is on the disk.
bool flush(std::FILE* file) { return std::fflush(file) == 0 && (!durable_writes || ::fsync(::fileno(file)) == 0); }
}  // namespace

void set_durable_writes(bool durable) { durable_writes = durable; }

void write_file_atomically(const std::string& path, const std::string& content) {
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) throw Error("cannot write " + path + ": " + system_error_text());
  const bool written = std::fwrite(content.data(), 1, content.size(), file) == content.size();
  const bool flushed = flush(file);
  const int saved_errno = errno;
  const bool closed = std::fclose(file) == 0;
  if (!written || !flushed || !closed) {
    std::remove(temporary.c_str());
    errno = saved_errno;
    throw Error("cannot write " + path + ": " + system_error_text());
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = system_error_text();
    std::remove(temporary.c_str());
    throw Error("cannot write " + path + ": " + reason);
  }
}

AtomicFileWriter::AtomicFileWriter(std::string path)
    : path_(std::move(path)), temporary_(path_ + ".tmp." + std::to_string(::getpid())) {
  file_ = std::fopen(temporary_.c_str(), "wb");
  if (file_ == nullptr) throw Error("cannot write " + path_ + ": " + system_error_text());
}

AtomicFileWriter::~AtomicFileWriter() {
  if (file_ != nullptr) {
    std::fclose(file_);
    std::remove(temporary_.c_str());
  }
}

void AtomicFileWriter::write(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) failed_ = true;
}

void AtomicFileWriter::commit() {
  const bool flushed = !failed_ && flush(file_);
  const int saved_errno = errno;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!flushed || !closed) {
    std::remove(temporary_.c_str());
    errno = saved_errno;
    throw Error("cannot write " + path_ + ": " + system_error_text());
  }
  if (std::rename(temporary_.c_str(), path_.c_str()) != 0) {
    const std::string reason = system_error_text();
    std::remove(temporary_.c_str());
    throw Error("cannot write " + path_ + ": " + reason);
  }
}

std::string read_file(const std::string& path) {
  std::error_code code;
  if (std::filesystem::is_directory(path, code)) throw Error("cannot read " + path + ": is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read " + path + ": " + system_error_text());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw Error("cannot read " + path + ": read error");
  return buffer.str();
}

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
