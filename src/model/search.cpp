#include "model/search.h"

#include <cctype>

namespace mcdewey::model {

const char* search_mode_name(SearchMode m) {
  switch (m) {
    case SearchMode::kAuto: return "auto";
    case SearchMode::kHybrid: return "hybrid";
    case SearchMode::kLexical: return "lexical";
    case SearchMode::kSemantic: return "semantic";
  }
  return "auto";
}

bool parse_search_mode(std::string_view name, SearchMode* out) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (SearchMode m : {SearchMode::kAuto, SearchMode::kHybrid, SearchMode::kLexical, SearchMode::kSemantic}) {
    if (lower == search_mode_name(m)) {
      *out = m;
      return true;
    }
  }
  return false;
}

}  // namespace mcdewey::model
