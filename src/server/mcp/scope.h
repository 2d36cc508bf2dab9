// What the library holds, for MCP argument checks, suggestions and completion: a snapshot of
// the library's docs (product, version, doc, vendor). Cheap: one query of the store.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/library.h"
#include "common/status.h"

namespace mcdewey::server::mcp {

class Scope {
 public:
  static Result<Scope> load(app::Library& library);
  explicit Scope(std::vector<store::DocSummary> docs) : docs_(std::move(docs)) {}

  const std::vector<store::DocSummary>& docs() const { return docs_; }
  // Distinct values, in library order. Empty filters match everything.
  std::vector<std::string> vendors() const;
  std::vector<std::string> products() const;
  std::vector<std::string> versions(const std::string& product) const;
  std::vector<std::string> doc_names(const std::string& product, const std::string& version) const;
  std::string product_name(const std::string& product) const;

  // Checks search/list filters against what exists; returns a message that names the closest
  // known values when one does not ("unknown product 'icinga'; closest: icinga2 (Icinga 2)").
  std::optional<std::string> problem(const std::string& vendor, const std::string& product,
                                     const std::string& version, const std::string& doc) const;

 private:
  std::vector<store::DocSummary> docs_;
};

// The store's vendor filter (whole words of the name, case-insensitive), mirrored so that
// list_library and argument checks agree with search.
bool vendor_matches(const std::string& vendor_name, const std::string& filter);

// Up to `n` of `known` closest to `input`: prefix and substring matches first, then by
// edit distance (case-insensitive). Never empty when `known` is not.
std::vector<std::string> closest(const std::string& input, const std::vector<std::string>& known, size_t n = 5);

}  // namespace mcdewey::server::mcp
