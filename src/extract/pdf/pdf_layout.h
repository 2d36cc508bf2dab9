// Layout analysis for PDF text: words with positions and fonts -> canonical Markdown.
//
// This half of the PDF extractor never touches poppler: pdf_extractor.cpp turns each
// page's text boxes into `PageWords`, and everything here works on those plain structs,
// so the heuristics can be unit-tested with synthetic pages.
//
// Pipeline (document-wide statistics first, because a single page cannot tell a running
// header from a heading or a paragraph gap from ordinary leading):
//   1. build_page_lines: words -> visual lines (per page; words can be dropped afterwards).
//   2. render_markdown:
//      a. body font size = most common size by character count; typical line pitch.
//      b. running headers/footers: lines in the top/bottom two rows of a page that repeat
//         (digits and roman numerals aside) on several pages, bare page numbers there, and
//         anything else sitting in the margin band those repeated lines occupy.
//      c. lines -> blocks (paragraph, list item, code) from vertical gaps, indentation,
//         font changes, bullets and monospace fonts.
//      d. headings: blocks in a clearly larger font, or bold ones that match an outline
//         title; level from the outline depth when matched, else from the size rank.
//      e. Markdown with a `<!-- page N -->` marker (plus label="…" when the printed page
//         label differs) before every page, empty pages included.
// All coordinates are PDF points with the origin at the top-left corner (y grows down).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mcdewey::extract::pdf {

// One word as the PDF reader reports it.
struct Word {
  std::string text;  // UTF-8, not yet normalised
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double font_size = 0;
  bool bold = false;
  bool mono = false;         // a monospace (typewriter) font
  bool space_after = false;  // the reader saw a space between this word and the next
  bool rotated = false;      // not horizontal left-to-right text
};

struct PageWords {
  std::string label;  // printed page label ("iv", "62"); empty when the PDF has none
  std::vector<Word> words;  // in the reader's reading order
};

// A visual line: consecutive words sharing a baseline.
struct Line {
  std::string text;  // NFKC-normalised; monospace lines keep their inner spacing
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double font_size = 0;  // dominant size by characters
  double char_width = 0;  // average advance of one character (used to indent code)
  bool bold = false;      // most characters bold
  bool mono = false;      // every character monospace
  bool rotated = false;
  int chars = 0;
};

struct PageLines {
  std::string label;
  std::vector<Line> lines;  // reading order
};

struct OutlineEntry {
  std::string title;
  int depth = 0;  // 0 = top level
};

struct Rendered {
  std::string markdown;
  std::string first_heading;
  std::string first_line;
  int text_chars = 0;  // characters of text found on all pages (0: no text layer)
};

// Groups one page's words into lines. Pure; cheap; safe to call from any thread.
PageLines build_page_lines(const PageWords& page);

// Lays out a whole document. `pages[i]` is physical page i + 1.
Rendered render_markdown(const std::vector<PageLines>& pages, const std::vector<OutlineEntry>& outline);

// --- Pieces exposed for unit tests --------------------------------------------------

// Joins the lines of one paragraph into one line. A line ending in a hyphen after a
// letter is glued to the next without the hyphen when the next line starts with a
// lowercase letter ("config-" + "uration"); otherwise the hyphen stays and the lines are
// glued without a space ("IPv4-" + "Mapped" -> "IPv4-Mapped").
std::string join_lines(const std::vector<std::string>& lines);

// The key that running-header detection compares: lowercase letters only, digits and
// roman-numeral tokens removed, whitespace collapsed. "Chapter 3. Foo  62" -> "chapter foo".
std::string header_key(std::string_view line);

// "62", "iv", "- 7 -", "Page 7", "7 / 120", "7 of 120": a line that is only a page number.
bool is_page_number(std::string_view line);

// Makes a page label safe inside `<!-- page N label="…" -->`.
std::string sanitize_label(std::string_view label);

}  // namespace mcdewey::extract::pdf
