// Gumbo behind RAII: one parsed HTML document and the memory it lives in.
//
// Before gumbo sees the bytes, prepare_html() scans the tags once (a light tokenizer that
// knows comments, quoted attributes, raw-text elements and void/auto-closing elements) to
//  * guard the nesting depth. Gumbo's tree builder rescans the stack of open elements for many
//    start tags, so 100k nested <div>s take ~22 s (quadratic), and a deep tree is a hazard for
//    any recursive consumer. Like Chromium's parser (kMaxDOMTreeDepth = 512), elements opened
//    deeper than kMaxNesting are dropped with their end tags, which makes their content
//    siblings at that depth; the text survives.
//  * cut out <script>, <style> and inline <svg> elements, which are never content and cost
//    gumbo's tokenizer as much per byte as text does (15% of the corpus bytes).
// Gumbo then runs on a pool allocator: it allocates per token and per node, and a size-class
// free list released in one go is ~15% faster than malloc/free and frees the whole tree
// without walking it.
#pragma once

#include <gumbo.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace mcdewey::extract::html {

// Elements may nest this deep (as counted by the guard: auto-closing and void elements not
// counted). Real documentation stays far below it (deepest in our corpus: ~30).
inline constexpr size_t kMaxNesting = 512;

struct PreparedHtml {
  std::string html;       // the rewritten input; meaningful only when `changed`
  bool changed = false;   // false: use the original bytes as they are (no copy was made)
  size_t flattened = 0;   // start tags removed by the nesting guard
};

PreparedHtml prepare_html(std::string_view html, size_t max_depth = kMaxNesting);

class PoolAllocator;

// A parsed document. Non-copyable; the tree is valid while this object lives.
class ParsedHtml {
 public:
  // Parses UTF-8 `html` (which must outlive nothing: gumbo copies what it keeps).
  explicit ParsedHtml(std::string_view html);
  ~ParsedHtml();
  ParsedHtml(const ParsedHtml&) = delete;
  ParsedHtml& operator=(const ParsedHtml&) = delete;

  // Null only if gumbo failed outright (it does not for any input we have seen).
  const GumboNode* document() const { return output_ == nullptr ? nullptr : output_->document; }
  const GumboNode* root() const { return output_ == nullptr ? nullptr : output_->root; }

 private:
  std::unique_ptr<PoolAllocator> pool_;
  GumboOptions options_;
  GumboOutput* output_ = nullptr;
};

}  // namespace mcdewey::extract::html
