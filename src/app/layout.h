// Where a file of a library tree belongs: <product>/<version>/<doc>[/<sub>...]/<file>.<ext>.
//
//   cucm/v15/security-guide/security-guide.pdf -> cucm / v15 / security-guide / security-guide
//   python/3.11.2/library/os.html              -> python / 3.11.2 / library / os
//   git/2.39.5/gitfaq.html                     -> git / 2.39.5 / gitfaq / gitfaq  (a doc of its own)
#pragma once

#include <filesystem>
#include <string>

#include "common/status.h"
#include "model/chunk_id.h"

namespace mcdewey::app {

// `rel` is relative to the library root. Errors explain why a path does not fit the layout.
Result<model::DocFileKey> key_for_tree_path(const std::filesystem::path& rel);

// The file stem used for a doc file: the name without its last extension.
std::string file_stem(const std::filesystem::path& p);

}  // namespace mcdewey::app
