// Version ordering that people expect: 9.18 > 9.9, v15 > v12.5, 2.0.12 > 2.0.9, 1.1 > 1.1rc2.
#pragma once

#include <string_view>

namespace mcdewey::model {

// <0 when a is older than b, 0 when equal, >0 when newer. Compares digit runs numerically,
// other runs case-insensitively; a leading 'v' is ignored; a pre-release tail (rc, beta,
// alpha, pre, dev) sorts before the release it precedes.
int compare_versions(std::string_view a, std::string_view b);

}  // namespace mcdewey::model
