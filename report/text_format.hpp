// Numbers and fields as the report files write them.
#pragma once

#include <string>

namespace npusim::hw {

// `v` with `decimals` decimals ("%.*f").
std::string fixed(double v, int decimals = 3);

// A CSV field: quoted (quotes doubled) when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& s);

}  // namespace npusim::hw
