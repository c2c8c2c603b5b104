// Suggestions for misspelt keys and names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace npusim {

// Edit distance (insert, delete, substitute), case-insensitive.
int edit_distance(std::string_view a, std::string_view b);

// The closest candidate when it is close enough to be a plausible typo, else "". Bounded: words and
// candidates longer than 128 characters are not compared, and the search stops after 2^21 cells of
// distance tables, so a megabyte-long key or a trace of 20,000 op ids costs milliseconds, not minutes.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "" - ready to append to an error message.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// "a, b, c" for error messages listing the accepted values.
std::string join_names(const std::vector<std::string>& names, std::string_view separator = ", ");

}  // namespace npusim
