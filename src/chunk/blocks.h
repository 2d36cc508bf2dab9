// Canonical Markdown -> blocks: the structural units the chunker packs into chunks.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mcdewey::chunk {

enum class BlockKind { kHeading, kParagraph, kCode, kTable };

struct Block {
  BlockKind kind = BlockKind::kParagraph;
  int level = 0;             // heading level 1..6 (headings only)
  std::string heading_text;  // heading text without '#' (headings only)
  size_t start = 0;          // byte span in the canonical Markdown
  size_t end = 0;
  int page = 0;              // page the block starts on (0 = no pages)
  int page_end = 0;          // page it ends on (blocks never contain a marker, so == page)
  std::string page_label;    // printed label of `page` when it differs
  int words = 0;
};

// A page marker line: `<!-- page 12 -->` or `<!-- page 12 label="x" -->`.
struct PageMarker {
  int page = 0;
  std::string label;
};
// Parses one line (without '\n'); false when it is not a marker.
bool parse_page_marker(std::string_view line, PageMarker* out);

// Splits canonical Markdown into heading, paragraph, code and table blocks. Page markers
// are consumed (they set the page of what follows); blank lines separate blocks; a fenced
// code block is one block however long; consecutive `|` lines form one table block.
std::vector<Block> split_blocks(std::string_view markdown);

// The text of [start, end) with page-marker lines removed.
std::string text_without_markers(std::string_view markdown, size_t start, size_t end);

}  // namespace mcdewey::chunk
