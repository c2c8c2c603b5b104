#include "models/methods/method_tables.hpp"

#include <map>
#include <memory>
#include <mutex>

namespace npusim {

namespace {

template <class Table, class Key, class Make>
const Table& cached(std::map<Key, std::unique_ptr<Table>>& tables, const Key& key, Make make) {
  static std::mutex lock;
  const std::lock_guard<std::mutex> guard(lock);
  auto& slot = tables[key];
  if (!slot) slot = std::make_unique<Table>(make());
  return *slot;
}

}  // namespace

const NnLutTable& cached_nnlut(Function f, int hidden_units) {
  static std::map<std::pair<Function, int>, std::unique_ptr<NnLutTable>> tables;
  return cached(tables, std::pair{f, hidden_units}, [&] {
    NnLutTrainOptions options;
    options.hidden_units = hidden_units;
    return build_nnlut(f, options);
  });
}

const NnLutTable& cached_nnlut_least_squares(Function f, int segments) {
  static std::map<std::pair<Function, int>, std::unique_ptr<NnLutTable>> tables;
  return cached(tables, std::pair{f, segments}, [&] { return build_nnlut_least_squares(f, segments); });
}

const RangeReducedLut& cached_range_reduced_lut(Function f) {
  static std::map<Function, std::unique_ptr<RangeReducedLut>> tables;
  return cached(tables, f, [&] { return RangeReducedLut::build(f); });
}

}  // namespace npusim
