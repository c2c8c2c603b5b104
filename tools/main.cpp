#include <string>
#include <vector>

#include "tools/cli.hpp"

int main(int argc, char** argv) {
  return npusim::cli::main_entry(std::vector<std::string>(argv + 1, argv + argc));
}
