// The message of the npusim::Error a piece of code throws, for asserting error texts in tests.
#pragma once

#include <functional>
#include <string>

#include "common/error.hpp"

namespace npusim::testing {

inline std::string error_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace npusim::testing
