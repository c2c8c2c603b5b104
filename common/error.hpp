// Errors that reach the user as one clear line.
#pragma once

#include <stdexcept>
#include <string>

namespace npusim {

// A user-facing error. The message is complete (for file input it already starts with
// "file:line:column: "), so the CLI prints it as is.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// "file:line:column: message"; line and column are 1-based.
inline Error error_at(const std::string& file, int line, int column, const std::string& message) {
  return Error(file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message);
}

}  // namespace npusim
