// What an extractor produces and the chunker consumes.
#pragma once

#include <string>
#include <vector>

namespace mcdewey::model {

enum class Format { kPdf, kHtml, kMarkdown, kText };
const char* format_name(Format f);

// One source file turned into canonical Markdown.
//
// `markdown` IS the canonical copy written to library/<product>/<version>/<doc>/<file>.md.
// Paged formats (PDF) put a marker line before each page's text:
//     <!-- page 80 -->                   physical page 80, printed label the same (or none)
//     <!-- page 80 label="62" -->        physical page 80, printed label "62"
// Headings are ATX (`#`..`######`). Nothing else is special: the chunker parses this text
// and records byte spans into it, so what a user sees in "View in doc context" is exactly
// what was indexed.
struct Document {
  Format format = Format::kText;
  std::string title;
  std::string markdown;
  int page_count = 0;  // physical pages; 0 for formats without pages
  std::vector<std::string> warnings;  // non-fatal oddities worth a log line
};

}  // namespace mcdewey::model
