// Shared plumbing of the npusim command line: the subcommand table, option parsing with
// Boost.Program_options, and the mapping of errors to exit codes.
#pragma once

#include <boost/program_options.hpp>
#include <functional>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

namespace npusim::cli {

namespace po = boost::program_options;

// Exit codes: 0 success, 1 an error in the input or the run, 2 a usage error.
constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

// A wrong subcommand, option or option value: printed as one line, exit code 2.
class UsageError : public std::runtime_error {
 public:
  explicit UsageError(const std::string& message) : std::runtime_error(message) {}
};

struct Subcommand {
  std::string name;
  std::string summary;
  std::function<int(const std::vector<std::string>& args)> run;
};

// Every subcommand, in the order `npusim --help` lists them.
const std::vector<Subcommand>& subcommands();

// Parses `args` against `options`; `--help` prints "usage" and the options and returns false.
// Unknown options and bad values throw UsageError. Negative numbers may follow an option
// (`--range -8,8`).
bool parse_options(const std::string& command, const std::string& usage, const po::options_description& options,
                   const std::vector<std::string>& args, po::variables_map& values,
                   const po::positional_options_description* positional = nullptr);

// "A,B" -> {A, B}; throws UsageError naming the option for anything else.
std::pair<double, double> parse_range(const std::string& option, const std::string& text);

// Runs `body`, printing errors as one line on stderr and returning the exit code.
int run_guarded(const std::function<int()>& body);

// The whole command line: `npusim [subcommand] [options]`.
int main_entry(const std::vector<std::string>& args);

}  // namespace npusim::cli
