#include "common/did_you_mean.hpp"

#include <algorithm>
#include <cctype>

namespace npusim {

int edit_distance(std::string_view a, std::string_view b) {
  std::vector<int> previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // Bounded work on untrusted input: a name longer than any key is not a typo of one, and the distances
  // computed stop at a budget of table cells (a trace's op ids can number 20,000).
  constexpr size_t kMaxWordLength = 128;
  size_t cell_budget = 1 << 21;
  if (word.empty() || word.size() > kMaxWordLength) return std::string();
  const size_t considered = candidates.size();
  // A third of the word's length (at least 2) separates typos from unrelated words.
  const int limit = std::max<int>(2, static_cast<int>(word.size()) / 3);
  std::string best;
  int best_distance = 0;
  for (size_t i = 0; i < considered; ++i) {
    const std::string& candidate = candidates[i];
    // The length difference alone already exceeds the limit: no need for the quadratic distance.
    const size_t difference = candidate.size() > word.size() ? candidate.size() - word.size() : word.size() - candidate.size();
    if (difference > static_cast<size_t>(limit) || candidate.size() > kMaxWordLength) continue;
    const size_t cells = (word.size() + 1) * (candidate.size() + 1);
    if (cells > cell_budget) break;
    cell_budget -= cells;
    const int distance = edit_distance(word, candidate);
    if (best.empty() || distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  if (!best.empty() && best_distance <= limit) return best;
  // A key missing its unit suffix ("bandwidth" for "bandwidth_gbps") is a prefix of the right one.
  if (word.size() >= 3) {
    for (size_t i = 0; i < considered; ++i) {
      const std::string& candidate = candidates[i];
      if (candidate.size() > word.size() && candidate.compare(0, word.size(), word) == 0) return candidate;
    }
  }
  return std::string();
}

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  const std::string match = closest_match(word, candidates);
  return match.empty() ? std::string() : " (did you mean '" + match + "'?)";
}

std::string join_names(const std::vector<std::string>& names, std::string_view separator) {
  std::string joined;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) joined += separator;
    joined += names[i];
  }
  return joined;
}

}  // namespace npusim
