// Search requests and hits: what every face (CLI, REST, MCP) passes to and gets from the core.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mcdewey::model {

struct SearchFilters {
  std::string vendor;   // matched case-insensitively against the vendor name or its slug form
  std::string product;  // product slug
  std::string version;  // version slug
  std::string doc;      // doc slug
};

// How a query is matched. kAuto = hybrid when an embedder is available, else lexical.
enum class SearchMode { kAuto, kHybrid, kLexical, kSemantic };
const char* search_mode_name(SearchMode m);  // "auto", "hybrid", "lexical", "semantic"
// Parses a mode name (case-insensitive); false when unknown.
bool parse_search_mode(std::string_view name, SearchMode* out);

struct SearchRequest {
  std::string query;
  SearchFilters filters;
  SearchMode mode = SearchMode::kAuto;
  int limit = 10;   // clamped to [1, 1000]
  int offset = 0;
};

// One result card (DESIGN.md "The result card").
struct Hit {
  std::string chunk_id;
  std::string source;  // product/version/doc/file.md
  std::string vendor;
  std::string product;
  std::string product_name;
  std::string version;
  std::string doc;
  std::string file;
  std::string title;   // document title
  std::vector<std::string> heading_path;
  int page = 0;
  int page_end = 0;
  std::string page_label;
  int ordinal = 0;
  double score = 0;
  std::string text;
  // Byte ranges of `text` that matched query terms, for highlighting; sorted, disjoint.
  std::vector<std::pair<size_t, size_t>> highlights;
  // Other versions of this product holding the identical passage, newest first; the hit
  // itself is the newest (search/versions.h). Empty when the passage is in one version only.
  std::vector<std::string> also_in_versions;
};

struct SearchResponse {
  std::vector<Hit> hits;
  int total = 0;  // number of matching chunks (may be capped, see total_is_lower_bound)
  bool total_is_lower_bound = false;
  double took_ms = 0;
  std::string effective_query;  // what was sent to the engine, for debugging
  SearchMode mode = SearchMode::kLexical;  // the mode actually used (never kAuto)
};

}  // namespace mcdewey::model
