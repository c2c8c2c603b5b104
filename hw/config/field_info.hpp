// One place per config field: the member of the config struct is declared together with its default, its
// documented range and its help, in one line (NPUSIM_FIELD); the schema (hw_config_io.cpp) reads range and
// help from there and the default from a default-constructed config, and the unit follows from the
// member's name (_gbps: GB/s, _ns: ns, ...). The names of an enum's values sit beside the enum, in a
// `names_of` table the schema, the error messages and the help texts all read.
//
// Why beside the member rather than in the schema table: the sub-structs are used on their own (cost
// models and tests build a MauConfig or an EnergyConfig), so their defaults must be their members'
// initialisers; and a reader of hw_config.hpp sees at each member what it defaults to and what it accepts.
#pragma once

#include <string_view>

namespace npusim::hw {

template <class T>
struct FieldInfo {
  T default_value;
  double min;        // numbers: the documented physical range, inclusive (unused for choices)
  double max;
  const char* help;  // one line: printed beside the field in every effective config
};

// One value of an enum as config files and options name it.
template <class Enum>
struct Named {
  Enum value;
  std::string_view name;
};

}  // namespace npusim::hw

// `type name = default_value;` with its range and help, kept as `name_field`.
#define NPUSIM_FIELD(type, name, value, lowest, highest, text)                               \
  static constexpr ::npusim::hw::FieldInfo<type> name##_field{value, lowest, highest, text}; \
  type name = name##_field.default_value

// An enum (or yes/no) member: its values are named by `names_of(type{})`.
#define NPUSIM_CHOICE(type, name, value, text) NPUSIM_FIELD(type, name, value, 0.0, 0.0, text)
