// Version-aware results (DESIGN.md "search"): when no version is asked for, identical
// passages across versions of a product collapse into one result, shown as the newest
// version and listing the others ("also in 14, 12.5"), at the best rank any of them had.
// So the newest version of a passage always ranks first. Passages that differ between
// versions stay separate results; among such counterparts (one product, doc, file and heading
// path, in different versions: the same section, edited between releases) the newest version
// takes the best rank the group holds, the next newest the next, and so on.
#pragma once

#include <string>
#include <vector>

#include "model/search.h"

namespace mcdewey::search {

// The text identity of a passage: its body with runs of whitespace collapsed.
std::string passage_key(const model::Hit& hit);

// Collapses `ranked` (best first) in place, then orders counterparts newest first;
// versions compare with model::compare_versions.
void collapse_versions(std::vector<model::Hit>* ranked);

}  // namespace mcdewey::search
