// The prepare step of a run: every table its units look up, built once before the plan is priced and
// the simulation runs. Each non-linear op on the LUT unit gets its per-layer Bespoke LUT per function
// (with the dual-range table where interval 0 needs it, SPEC 2.3) or the model-wide bespoke-rr table;
// a functional run also gets NN-LUT's tables, trained once per function. The planner reads the tables'
// sizes here, the units (in functional mode) their entries.
#pragma once

#include <deque>
#include <map>
#include <string>

#include "hw/config/hw_config.hpp"
#include "models/lut/bespoke_lut.hpp"
#include "models/nnlut/nn_lut.hpp"
#include "workloads/trace.hpp"

namespace npusim::hw {

// What a resident table slot holds: the layer path and the function ("blocks.3.attn.softmax.exp"), or
// "bespoke_rr.<function>" for the table every layer shares.
std::string table_key(const std::string& layer, Function function, bool range_reduced);

// Whether `function` of an op of `kind` runs on the bespoke-rr table under `config`.
bool uses_range_reduced_table(const HwConfig& config, NonlinearEngine engine, Function function);

class PreparedTables {
 public:
  // Throw npusim::Error when the step did not prepare the table (a plan used with another config).
  // `op_index` is the op's position in the trace.
  const BespokeLut& lut(int op_index, Function function) const;
  const NnLutTable& nnlut(Function function) const;
  bool has_nnlut(Function function) const { return nnluts_.count(function) != 0; }

  void add_lut(int op_index, Function function, BespokeLut lut);
  // The model-wide bespoke-rr table of `function`, built once and shared by every op that uses it.
  void add_shared_lut(int op_index, Function function);
  void add_nnlut(Function function, NnLutTable table);

 private:
  std::deque<BespokeLut> storage_;  // stable addresses
  std::map<Function, const BespokeLut*> shared_;
  std::map<std::pair<int, Function>, const BespokeLut*> by_op_;
  std::map<Function, NnLutTable> nnluts_;
};

struct PrepareOptions {
  bool functional = false;  // also train the NN-LUT tables the NN-LUT unit's functional check needs
};

PreparedTables prepare_tables(const workloads::Trace& trace, const HwConfig& config, const PrepareOptions& options = {});

}  // namespace npusim::hw
