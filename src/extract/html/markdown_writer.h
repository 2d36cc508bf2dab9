// Builds Markdown from a stream of inline text and block events.
//
// Inline text accumulates in a paragraph buffer with HTML whitespace rules (runs collapse to
// one space); a block event flushes it. Container blocks (list items, block quotes) are a
// stack of line prefixes: a list item's marker goes on its first line and its width of spaces
// on the following ones, so content nests the CommonMark way ("1. " indents by 3).
//
// Escaping is deliberately minimal, because the text is read and indexed as much as rendered:
//  * at the start of a line: '#' (only real headings may start a line with '#', the chunker's
//    structure), '>', list markers ("- ", "1. "), fences, setext/thematic rules;
//  * '<' before a letter, '/', '!' or '?', so that prose such as "git add <pathspec>" or a
//    literal "<!--" is not taken for HTML or for a page marker;
//  * nothing inside code spans and code blocks.
// Emphasis markers in prose (*, _) are not escaped; a rendered copy may show stray emphasis.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mcdewey::extract::html {

class MarkdownWriter {
 public:
  // --- inline content of the current paragraph ---

  // `for_cell`: the output will be flattened into one pipe-table cell, so no line starts
  // need escaping and no line is too slight to keep.
  explicit MarkdownWriter(bool for_cell = false) : for_cell_(for_cell) {}

  // Appends text: whitespace collapses; in prose (`literal` false) markup-like '<' is escaped,
  // inside a code span (`literal` true) nothing is.
  void text(std::string_view s, bool literal = false);
  // Appends prose without escaping (used for code spans built by the caller).
  void raw(std::string_view s);
  // A space between words, unless one is already pending or the paragraph is empty.
  void space() { pending_space_ = true; }
  // A hard line break (rendered as a trailing backslash).
  void line_break();
  // The paragraph buffer so far. A pending space is committed first, so that the text after
  // mark() starts a new word.
  size_t mark();
  // Everything appended since `mark`, removed from the buffer (surrounding spaces trimmed).
  std::string take_since(size_t mark);
  bool pending_space() const { return pending_space_; }
  bool has_inline() const { return !inline_.empty(); }

  // --- blocks ---

  // Ends the current paragraph, if any.
  void end_paragraph();
  void heading(int level, std::string_view text);
  void code_block(std::string_view code, std::string_view language);
  // rows[0] is the header row; rows may be ragged, cells are already single-line and escaped.
  void table(const std::vector<std::vector<std::string>>& rows);

  void open_quote();
  void close_quote();
  // Opens one list item with `marker` ("- ", "3. "). `first_in_list` keeps a blank line before
  // the list; later items follow their predecessor directly (a tight list).
  void open_item(std::string marker, bool first_in_list);
  void close_item();
  // True if the innermost list item has not written a line yet.
  bool item_is_empty() const;
  // Asks for a blank line before the next block (after a list, a quote, ...).
  void blank_line_before_next() { blank_pending_ = true; }
  // Drops a pending blank line (a sub-list directly after its item's text stays tight).
  void no_blank_line_before_next() { blank_pending_ = false; }

  // Ends everything and returns the document; the writer is spent afterwards.
  std::string finish();
  // True when nothing has been written (and nothing is pending).
  bool empty() const { return out_.empty() && inline_.empty(); }

 private:
  struct Container {
    bool quote = false;
    std::string marker;  // list item: "- " / "1. "
    bool used = false;   // has written a line
  };

  void emit_line(std::string_view content);
  void emit_blank();
  void start_block();
  std::string prefix(bool blank);

  bool for_cell_;
  std::string out_;
  std::string inline_;
  bool pending_space_ = false;
  bool blank_pending_ = false;
  std::vector<Container> containers_;
};

// Escapes what would change a line's meaning at its start ("# x" -> "\# x").
std::string escape_line_start(std::string_view line);

// A code span for `code` with a backtick fence longer than any backtick run inside it.
std::string code_span(std::string_view code);

}  // namespace mcdewey::extract::html
