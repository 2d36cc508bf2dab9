// Gumbo tree -> Markdown, leaving out what the ContentFilter marks as boilerplate.
//
// Mapping: h1-h6 -> ATX headings; p/div/section -> paragraphs; ul/ol -> "- " / "1. " items;
// pre -> fenced code (line breaks kept, fence longer than any backtick run inside, language
// from Sphinx "highlight-xxx" or "language-xxx" classes); code/tt/kbd/samp -> code spans;
// table -> pipe table (a layout table, i.e. one cell, a nested table or preformatted text in
// it, is rendered as the blocks it holds); dl -> "**term**" paragraphs followed by the
// definition's blocks (consecutive terms joined with ", "); blockquote -> "> " (except a quote
// that only wraps a <pre>, SQLite's way to indent code); br -> hard break; links -> their text;
// images -> alt text when it says something. Emphasis is dropped (text kept).
//
// The walk uses an explicit stack: no recursion, whatever the depth of the tree.
#pragma once

#include <gumbo.h>

#include <string>
#include <vector>

#include "extract/html/content_filter.h"
#include "extract/html/markdown_writer.h"

namespace mcdewey::extract::html {

class HtmlRenderer {
 public:
  // `in_cell`: renders the content of one pipe-table cell (no headings, no nested tables).
  explicit HtmlRenderer(const ContentFilter& filter, bool in_cell = false);

  // Renders `root` and its subtree (may be called more than once).
  void render(const GumboNode* root);
  // The Markdown so far; the renderer is spent afterwards.
  std::string finish();

  // Text of the first <h1> (or, if none, first heading) rendered, as Markdown inline text.
  const std::string& first_h1() const { return first_h1_; }
  const std::string& first_heading() const { return first_heading_; }

 private:
  enum class Exit { kNone, kBlock, kHeading, kTerm, kCode, kList, kItem, kQuote };
  struct Frame {
    const GumboNode* node;
    unsigned next = 0;
    Exit exit = Exit::kNone;
    size_t mark = 0;
  };
  struct List {
    bool ordered = false;
    long next_number = 1;
    int items = 0;
  };

  // Handles the start of `node`; returns false when its children must not be visited.
  bool enter(Frame& f);
  void leave(const Frame& f);

  void text_node(const GumboNode* node);
  void block_boundary();
  void flush_terms();
  void code_block(const GumboNode* pre);
  bool table(const GumboNode* table);  // false: a layout table, render its blocks instead
  std::string cell_text(const GumboNode* cell);
  void image(const GumboNode* img);

  const ContentFilter& filter_;
  const bool in_cell_;
  MarkdownWriter writer_;
  std::vector<List> lists_;
  std::vector<std::string> pending_terms_;
  int inline_only_ = 0;  // > 0 inside a heading, term or code span: blocks become spaces
  int in_code_ = 0;
  std::string first_h1_;
  std::string first_heading_;
};

}  // namespace mcdewey::extract::html
