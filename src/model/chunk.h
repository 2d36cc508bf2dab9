// A chunk: one passage of one document file, the unit that is indexed and returned.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace mcdewey::model {

struct Chunk {
  int ordinal = 0;                        // 0-based, reading order within the file
  std::string text;                       // the passage, page markers removed
  std::vector<std::string> heading_path;  // breadcrumbs, outermost first
  int page = 0;                           // first physical page (1-based); 0 = no pages
  int page_end = 0;                       // last physical page
  std::string page_label;                 // printed label of `page` when it differs from the number
  size_t byte_start = 0;                  // [byte_start, byte_end) in the canonical Markdown
  size_t byte_end = 0;
  int words = 0;
};

}  // namespace mcdewey::model
