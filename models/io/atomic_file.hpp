// Result files are written to a temporary name and renamed, so a reader (or an interrupted run)
// sees either the old file or the complete new one, never a torn one.
#pragma once

#include <string>

namespace npusim {

// Writes `content` to `path` atomically; throws npusim::Error naming the path on failure.
void write_file_atomically(const std::string& path, const std::string& content);

// Reads a whole file; throws npusim::Error naming the path when it cannot be read.
std::string read_file(const std::string& path);

// Creates `dir` (and parents) if missing and checks that files can be created in it.
void ensure_writable_directory(const std::string& dir);

}  // namespace npusim
