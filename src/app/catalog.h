// catalog.toml: vendor and display name per product slug.
//
//   [products.bind9]
//   vendor = "Internet Systems Consortium (ISC)"
//   name = "BIND 9"
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "common/status.h"

namespace mcdewey::app {

struct CatalogEntry {
  std::string vendor;
  std::string name;
};
using Catalog = std::map<std::string, CatalogEntry>;

// A missing file is an empty catalog; a malformed one is kInvalidArgument with file:line.
Result<Catalog> load_catalog(const std::filesystem::path& path);
Result<Catalog> parse_catalog(std::string_view text, const std::string& source_name);

}  // namespace mcdewey::app
