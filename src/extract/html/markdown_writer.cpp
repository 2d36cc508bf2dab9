#include "extract/html/markdown_writer.h"

#include <algorithm>

#include "extract/html/dom.h"

namespace mcdewey::extract::html {

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

void rtrim(std::string& s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
}

// False for a line of bare separators (the "," or "|" left over from a page footer whose
// parts were dropped). Other punctuation can be content ("||  ->  ->>" in SQLite's operator
// table), so the set is kept small.
bool has_words(std::string_view line) {
  return line.find_first_not_of(" ,;|") != std::string_view::npos;
}

size_t longest_backtick_run(std::string_view s) {
  size_t best = 0;
  size_t run = 0;
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    best = std::max(best, run);
  }
  return best;
}

// A line made only of `c` and spaces, with at least `min` copies of `c`.
bool is_rule_of(std::string_view line, char c, size_t min) {
  size_t n = 0;
  for (char x : line) {
    if (x == c) {
      ++n;
    } else if (x != ' ' && x != '\t') {
      return false;
    }
  }
  return n >= min;
}

}  // namespace

std::string escape_line_start(std::string_view line) {
  if (line.empty()) return {};
  const char c = line[0];
  const bool then_space = line.size() == 1 || line[1] == ' ' || line[1] == '\t';
  if (c == '#' || c == '>' || ((c == '-' || c == '+' || c == '*') && then_space) ||
      line.substr(0, 3) == "```" || line.substr(0, 3) == "~~~" || is_rule_of(line, '=', 1) ||
      is_rule_of(line, '-', 3) || is_rule_of(line, '*', 3) || is_rule_of(line, '_', 3)) {
    std::string out(1, '\\');
    out += line;
    return out;
  }
  // "1. text" / "2) text" would start an ordered list.
  size_t digits = 0;
  while (digits < line.size() && digits < 10 && is_digit(line[digits])) ++digits;
  if (digits > 0 && digits < line.size() && (line[digits] == '.' || line[digits] == ')') &&
      (digits + 1 == line.size() || line[digits + 1] == ' ' || line[digits + 1] == '\t')) {
    std::string out(line.substr(0, digits));
    out += '\\';
    out += line.substr(digits);
    return out;
  }
  return std::string(line);
}

std::string code_span(std::string_view code) {
  const std::string fence(longest_backtick_run(code) + 1, '`');
  const bool pad = !code.empty() && (code.front() == '`' || code.back() == '`');
  std::string out = fence;
  if (pad) out += ' ';
  out += code;
  if (pad) out += ' ';
  out += fence;
  return out;
}

// --- inline -----------------------------------------------------------------------------------

void MarkdownWriter::text(std::string_view s, bool literal) {
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (is_html_space(c)) {
      pending_space_ = true;
      continue;
    }
    if (pending_space_) {
      if (!inline_.empty() && inline_.back() != ' ' && inline_.back() != '\n') inline_ += ' ';
      pending_space_ = false;
    }
    if (c == '<' && !literal) {
      const char next = i + 1 < s.size() ? s[i + 1] : 'x';  // at a node boundary, assume the worst
      if (is_alpha(next) || next == '/' || next == '!' || next == '?') inline_ += '\\';
    }
    inline_ += c;
  }
}

void MarkdownWriter::raw(std::string_view s) {
  if (s.empty()) return;
  if (pending_space_ && !inline_.empty() && inline_.back() != ' ' && inline_.back() != '\n') inline_ += ' ';
  pending_space_ = false;
  inline_ += s;
}

void MarkdownWriter::line_break() {
  rtrim(inline_);
  pending_space_ = false;
  if (inline_.empty() || inline_.back() == '\n') return;  // no break at the start or twice
  inline_ += '\n';
}

size_t MarkdownWriter::mark() {
  if (pending_space_ && !inline_.empty() && inline_.back() != ' ' && inline_.back() != '\n') inline_ += ' ';
  pending_space_ = false;
  return inline_.size();
}

std::string MarkdownWriter::take_since(size_t mark) {
  mark = std::min(mark, inline_.size());
  std::string taken(trim(std::string_view(inline_).substr(mark)));
  inline_.resize(mark);
  pending_space_ = false;
  return taken;
}

// --- blocks -----------------------------------------------------------------------------------

std::string MarkdownWriter::prefix(bool blank) {
  std::string p;
  for (const Container& c : containers_) {
    if (blank && !c.used) break;
    if (c.quote) {
      p += "> ";
    } else if (!c.used) {
      p += c.marker;
    } else {
      p.append(c.marker.size(), ' ');
    }
  }
  return p;
}

void MarkdownWriter::emit_line(std::string_view content) {
  std::string line = prefix(false);
  line += content;
  if (content.empty()) rtrim(line);
  out_ += line;
  out_ += '\n';
  for (Container& c : containers_) c.used = true;
}

void MarkdownWriter::emit_blank() {
  std::string line = prefix(true);
  rtrim(line);
  out_ += line;
  out_ += '\n';
}

void MarkdownWriter::start_block() {
  if (blank_pending_ && !out_.empty()) emit_blank();
  blank_pending_ = false;
}

void MarkdownWriter::end_paragraph() {
  std::string_view para = trim(inline_);
  if (!para.empty()) {
    start_block();
    std::vector<std::string_view> lines;
    size_t pos = 0;
    while (pos <= para.size()) {
      size_t nl = para.find('\n', pos);
      if (nl == std::string_view::npos) nl = para.size();
      std::string_view l = trim(para.substr(pos, nl - pos));
      if (for_cell_ || has_words(l)) lines.push_back(l);
      pos = nl + 1;
    }
    for (size_t i = 0; i < lines.size(); ++i) {
      std::string l = for_cell_ ? std::string(lines[i]) : escape_line_start(lines[i]);
      if (i + 1 < lines.size()) l += '\\';
      emit_line(l);
    }
    blank_pending_ = true;
  }
  inline_.clear();
  pending_space_ = false;
}

void MarkdownWriter::heading(int level, std::string_view text) {
  end_paragraph();
  std::string t(trim(text));
  std::replace(t.begin(), t.end(), '\n', ' ');
  if (t.empty()) return;
  start_block();
  if (!containers_.empty()) {
    // A heading inside a list item or quote cannot be an ATX line of its own; keep it as a
    // bold line so the chunker sees only top-level headings.
    std::string bold = "**";
    bold += t;
    bold += "**";
    emit_line(bold);
  } else {
    std::string line(static_cast<size_t>(std::clamp(level, 1, 6)), '#');
    line += ' ';
    line += t;
    if (line.back() == '#') line.insert(line.size() - 1, 1, '\\');  // not an ATX closing sequence
    emit_line(line);
  }
  blank_pending_ = true;
}

void MarkdownWriter::code_block(std::string_view code, std::string_view language) {
  end_paragraph();
  // Leading blank lines and trailing whitespace carry nothing; every other byte is kept.
  size_t first = 0;
  while (true) {
    size_t nl = code.find('\n', first);
    if (nl == std::string_view::npos) break;
    std::string_view l = code.substr(first, nl - first);
    if (l.find_first_not_of(" \t") != std::string_view::npos) break;
    first = nl + 1;
  }
  code.remove_prefix(first);
  while (!code.empty() && (code.back() == '\n' || code.back() == ' ' || code.back() == '\t')) code.remove_suffix(1);
  if (code.empty()) return;
  start_block();
  const std::string fence(std::max<size_t>(3, longest_backtick_run(code) + 1), '`');
  emit_line(fence + std::string(language));
  size_t pos = 0;
  while (pos <= code.size()) {
    size_t nl = code.find('\n', pos);
    if (nl == std::string_view::npos) nl = code.size();
    emit_line(code.substr(pos, nl - pos));
    pos = nl + 1;
  }
  emit_line(fence);
  blank_pending_ = true;
}

void MarkdownWriter::table(const std::vector<std::vector<std::string>>& rows) {
  end_paragraph();
  size_t columns = 0;
  for (const auto& r : rows) columns = std::max(columns, r.size());
  if (columns == 0) return;
  start_block();
  auto row_line = [&](const std::vector<std::string>& r) {
    std::string line = "|";
    for (size_t c = 0; c < columns; ++c) {
      line += ' ';
      if (c < r.size()) line += r[c];
      line += " |";
    }
    return line;
  };
  emit_line(row_line(rows[0]));
  std::string sep = "|";
  for (size_t c = 0; c < columns; ++c) sep += " --- |";
  emit_line(sep);
  for (size_t i = 1; i < rows.size(); ++i) emit_line(row_line(rows[i]));
  blank_pending_ = true;
}

void MarkdownWriter::open_quote() {
  end_paragraph();
  containers_.push_back({true, "", false});
}

void MarkdownWriter::close_quote() {
  end_paragraph();
  if (!containers_.empty()) containers_.pop_back();
  blank_pending_ = true;
}

void MarkdownWriter::open_item(std::string marker, bool first_in_list) {
  end_paragraph();
  if (!first_in_list) blank_pending_ = false;
  containers_.push_back({false, std::move(marker), false});
}

void MarkdownWriter::close_item() {
  end_paragraph();
  if (!containers_.empty()) containers_.pop_back();
}

bool MarkdownWriter::item_is_empty() const {
  return !containers_.empty() && !containers_.back().quote && !containers_.back().used;
}

std::string MarkdownWriter::finish() {
  end_paragraph();
  containers_.clear();
  if (!out_.empty() && out_.back() != '\n') out_ += '\n';
  return std::move(out_);
}

}  // namespace mcdewey::extract::html
