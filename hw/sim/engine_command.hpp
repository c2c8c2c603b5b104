// What the command processor asks of a unit: a TLM-2.0 generic payload (a write; in functional mode its
// data are the unit's inputs) carrying one of these extensions. The plan has already priced the work:
// a unit is told how many cycles to be busy, never how to compute them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <tlm>

#include "hw/config/hw_config.hpp"
#include "hw/cost/categories.hpp"
#include "hw/sim/arbiter.hpp"
#include "models/lut/bespoke_lut.hpp"
#include "models/nnlut/nn_lut.hpp"

namespace npusim::hw {

template <class Derived>
struct CopyableExtension : tlm::tlm_extension<Derived> {
  tlm::tlm_extension_base* clone() const override { return new Derived(static_cast<const Derived&>(*this)); }
  void copy_from(const tlm::tlm_extension_base& other) override {
    static_cast<Derived&>(*this) = static_cast<const Derived&>(other);
  }
};

struct EngineCommand : CopyableExtension<EngineCommand> {
  enum class Action {
    compute,     // be busy for `cycles` (a link: long enough to move `bytes`)
    load_table,  // make `table_key` resident; the unit answers with the bytes DMA must bring (0: resident)
    lookup,      // functional mode: the payload's data are input codes; outputs come back here
  };
  Action action = Action::compute;
  Turn turn;  // same-time requests to a unit are granted in Turn order (hw/sim/arbiter.hpp)

  // compute
  int64_t cycles = 0;
  int64_t bytes = 0;
  Category category = Category::mau_compute;
  int64_t macs = 0;
  int64_t elements = 0;
  int64_t lookups = 0;  // a table unit's lookups among `elements` (softmax: one per element and row)

  // load_table
  std::string table_key;
  int64_t table_bytes = 0;  // the table's size in the plan (a unit with its own format may answer otherwise)
  int64_t load_bytes = 0;   // answer

  // lookup: a Bespoke LUT unit reads uint16_t codes and answers INT16 values, an NN-LUT unit reads
  // int32_t values and answers INT32 values, the DSP reads a row of doubles and answers its kernel's
  // FP32 results.
  const BespokeLut* lut = nullptr;
  const NnLutTable* nnlut = nullptr;
  NonlinearKind kernel = NonlinearKind::gelu;
  std::vector<int16_t> lut_outputs;
  std::vector<int32_t> nnlut_outputs;
  std::vector<float> dsp_outputs;
};

enum class DmaDirection { from_dram, to_dram };

// A DMA transfer between DRAM and the NPU's buffers (or the DSP's local memory).
struct DmaCommand : CopyableExtension<DmaCommand> {
  Turn turn;
  int channel = 0;  // channels beyond the configured count wrap around
  int64_t bytes = 0;
  DmaDirection direction = DmaDirection::from_dram;
  Category category = Category::weight_dma;
  TrafficKind traffic = TrafficKind::weights;

  static DmaCommand make(const Turn& turn, int channel, int64_t bytes, DmaDirection direction, Category category, TrafficKind traffic) {
    DmaCommand command;
    command.turn = turn;
    command.channel = channel;
    command.bytes = bytes;
    command.direction = direction;
    command.category = category;
    command.traffic = traffic;
    return command;
  }
};

// Which DMA channel a DRAM transaction comes from: the DRAM's arbitration order among same-time requests.
struct DmaChannelExtension : CopyableExtension<DmaChannelExtension> {
  int channel = 0;
};

}  // namespace npusim::hw
