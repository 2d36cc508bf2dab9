#include "extract/html/html_renderer.h"

#include <algorithm>
#include <charconv>
#include <string_view>

#include "extract/html/dom.h"
#include "extract/normalize.h"

namespace mcdewey::extract::html {

namespace {

// Per-node Unicode clean-up (NFKC, odd spaces, invisible characters). Done before escaping
// rather than only on the finished document: NFKC turns a full-width '＃' into '#', which must
// not slip past the line-start escaping as a fake heading.
std::string clean(std::string_view s) {
  bool plain = true;
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    if (b >= 0x80 || b == '\r' || (b < 0x20 && b != '\n' && b != '\t')) {
      plain = false;
      break;
    }
  }
  return plain ? std::string(s) : normalize_text(s);
}

// A text node that is only a disclosure triangle (U+25B2..U+25C5: ▲ ► ▼ ◄ ...), the
// expand/collapse toggle of SQLite's and Doxygen's foldable lists.
bool is_disclosure_mark(std::string_view s) {
  while (!s.empty() && is_html_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_html_space(s.back())) s.remove_suffix(1);
  if (s.size() != 3 || static_cast<unsigned char>(s[0]) != 0xE2) return false;
  const auto b1 = static_cast<unsigned char>(s[1]);
  const auto b2 = static_cast<unsigned char>(s[2]);
  return (b1 == 0x96 && b2 >= 0xB2 && b2 <= 0xBF) || (b1 == 0x97 && b2 >= 0x80 && b2 <= 0x85);
}

bool is_block(GumboTag t) {
  switch (t) {
    case GUMBO_TAG_ADDRESS:
    case GUMBO_TAG_ARTICLE:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BODY:
    case GUMBO_TAG_CAPTION:
    case GUMBO_TAG_CENTER:
    case GUMBO_TAG_DD:
    case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIV:
    case GUMBO_TAG_DL:
    case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION:
    case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_FORM:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_HGROUP:
    case GUMBO_TAG_HR:
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_LEGEND:
    case GUMBO_TAG_MAIN:
    case GUMBO_TAG_MULTICOL:
    case GUMBO_TAG_P:
    case GUMBO_TAG_SECTION:
    case GUMBO_TAG_SUMMARY:
    case GUMBO_TAG_TABLE:
    case GUMBO_TAG_TBODY:
    case GUMBO_TAG_THEAD:
    case GUMBO_TAG_TFOOT:
    case GUMBO_TAG_TR:
    case GUMBO_TAG_TD:
    case GUMBO_TAG_TH: return true;
    default: return false;
  }
}

bool is_list(GumboTag t) {
  return t == GUMBO_TAG_UL || t == GUMBO_TAG_OL || t == GUMBO_TAG_MENU || t == GUMBO_TAG_DIR;
}

bool is_code(GumboTag t) {
  return t == GUMBO_TAG_CODE || t == GUMBO_TAG_TT || t == GUMBO_TAG_KBD || t == GUMBO_TAG_SAMP;
}

long parse_long(std::string_view s, long fallback) {
  while (!s.empty() && is_html_space(s.front())) s.remove_prefix(1);
  long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() && v >= 0 && v < 1000000000 ? v : fallback;
}

// "highlight-python3" / "language-cpp" / "lang-sh" -> "python3" / "cpp" / "sh".
std::string language_from_class(std::string_view cls) {
  for (std::string_view prefix : {"highlight-", "language-", "lang-"}) {
    size_t pos = 0;
    while ((pos = cls.find(prefix, pos)) != std::string_view::npos) {
      if (pos > 0 && !is_html_space(cls[pos - 1])) {
        pos += prefix.size();
        continue;
      }
      size_t start = pos + prefix.size();
      size_t end = start;
      while (end < cls.size() && !is_html_space(cls[end])) ++end;
      std::string lang;
      for (char c : cls.substr(start, end - start)) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
                        c == '-' || c == '#' || c == '.';
        if (!ok) return "";
        lang += c;
      }
      // Sphinx's placeholders for "no particular language".
      if (lang == "default" || lang == "none" || lang == "text") return "";
      return lang;
    }
  }
  return "";
}

bool meaningful_alt(std::string_view alt) {
  if (alt.size() < 2 || alt.size() > 300) return false;
  bool letter = false;
  for (char c : alt) letter = letter || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
  if (!letter) return false;
  std::string lower;
  for (char c : alt) lower += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  for (std::string_view generic : {"image", "img", "icon", "logo", "photo", "picture", "spacer", "figure", "graphic"}) {
    if (lower == generic) return false;
  }
  for (std::string_view ext : {".png", ".gif", ".jpg", ".jpeg", ".svg", ".webp", ".bmp"}) {
    if (lower.size() >= ext.size() && lower.compare(lower.size() - ext.size(), ext.size(), ext) == 0) return false;
  }
  return true;
}

// The only element child of a blockquote, when that is a <pre> and nothing else has text.
bool quote_wraps_only_pre(const GumboNode* quote) {
  const GumboVector* kids = children_of(quote);
  const GumboNode* only = nullptr;
  for (unsigned i = 0; i < kids->length; ++i) {
    const GumboNode* k = child_at(kids, i);
    if (k->type == GUMBO_NODE_WHITESPACE || k->type == GUMBO_NODE_COMMENT) continue;
    if (!is_element(k) || only != nullptr) return false;
    only = k;
  }
  return only != nullptr && is_preformatted(tag_of(only));
}

}  // namespace

HtmlRenderer::HtmlRenderer(const ContentFilter& filter, bool in_cell)
    : filter_(filter), in_cell_(in_cell), writer_(in_cell) {}

void HtmlRenderer::render(const GumboNode* root) {
  std::vector<Frame> stack;
  stack.push_back({root});
  if (!enter(stack.back())) return;
  while (!stack.empty()) {
    Frame& top = stack.back();
    const GumboVector* kids = children_of(top.node);
    if (kids != nullptr && top.next < kids->length) {
      const GumboNode* child = child_at(kids, top.next++);
      stack.push_back({child});
      if (!enter(stack.back())) stack.pop_back();
      continue;
    }
    leave(top);
    stack.pop_back();
  }
}

std::string HtmlRenderer::finish() {
  inline_only_ = 0;
  block_boundary();
  return writer_.finish();
}

void HtmlRenderer::block_boundary() {
  if (inline_only_ > 0) {
    writer_.space();
    return;
  }
  flush_terms();
  writer_.end_paragraph();
}

void HtmlRenderer::flush_terms() {
  if (pending_terms_.empty()) return;
  std::string line;
  for (const std::string& t : pending_terms_) {
    if (!line.empty()) line += ", ";
    line += "**" + t + "**";
  }
  pending_terms_.clear();
  writer_.end_paragraph();
  writer_.raw(line);
  writer_.end_paragraph();
}

void HtmlRenderer::text_node(const GumboNode* node) {
  std::string_view text = text_of(node);
  if (node->type == GUMBO_NODE_WHITESPACE || is_disclosure_mark(text)) {
    writer_.space();
    return;
  }
  writer_.text(clean(text), in_code_ > 0);
}

bool HtmlRenderer::enter(Frame& f) {
  const GumboNode* node = f.node;
  if (is_text_like(node)) {
    text_node(node);
    return false;
  }
  if (!is_element(node)) return node->type == GUMBO_NODE_DOCUMENT;
  if (filter_.is_dropped(node)) {
    // A dropped element still separates the words around it.
    writer_.space();
    return false;
  }
  const GumboTag tag = tag_of(node);

  if (const int level = heading_level(tag); level > 0 && inline_only_ == 0) {
    block_boundary();
    ++inline_only_;
    f.mark = writer_.mark();
    f.exit = Exit::kHeading;
    return true;
  }
  if (is_preformatted(tag) && inline_only_ == 0 && !in_cell_) {
    block_boundary();
    code_block(node);
    return false;
  }
  if (is_code(tag) && in_code_ == 0) {
    ++in_code_;
    ++inline_only_;
    f.mark = writer_.mark();
    f.exit = Exit::kCode;
    return true;
  }
  if (inline_only_ > 0) {
    // Inside a heading, term or code span everything is inline; blocks only separate words.
    if (tag == GUMBO_TAG_BR || is_block(tag) || is_list(tag) || tag == GUMBO_TAG_LI || tag == GUMBO_TAG_DT ||
        tag == GUMBO_TAG_BLOCKQUOTE) {
      writer_.space();
      f.exit = Exit::kBlock;
    }
    if (tag == GUMBO_TAG_IMG) image(node);
    return true;
  }

  switch (tag) {
    case GUMBO_TAG_BR:
      if (in_cell_) {
        writer_.space();  // a cell is one line
      } else {
        writer_.line_break();
      }
      return false;
    case GUMBO_TAG_HR: block_boundary(); return false;
    case GUMBO_TAG_IMG: image(node); return false;
    case GUMBO_TAG_DT:
      writer_.end_paragraph();
      ++inline_only_;
      f.mark = writer_.mark();
      f.exit = Exit::kTerm;
      return true;
    case GUMBO_TAG_BLOCKQUOTE:
      block_boundary();
      if (in_cell_ || quote_wraps_only_pre(node)) {
        f.exit = Exit::kBlock;
      } else {
        writer_.open_quote();
        f.exit = Exit::kQuote;
      }
      return true;
    case GUMBO_TAG_LI: {
      block_boundary();
      if (lists_.empty()) {
        // A stray <li> outside any list (SQLite's capi3ref has "<p><li>" after a "</ul>"). It
        // never closes, so as a list item it would indent the rest of the page.
        f.exit = Exit::kBlock;
        return true;
      }
      List& list = lists_.back();
      const bool first = list.items == 0;
      ++list.items;
      std::string marker = "- ";
      if (list.ordered) {
        const long n = parse_long(attribute(node, "value"), list.next_number);
        list.next_number = n + 1;
        marker = std::to_string(n) + ". ";
      }
      writer_.open_item(std::move(marker), first);
      f.exit = Exit::kItem;
      return true;
    }
    case GUMBO_TAG_TABLE:
      block_boundary();
      if (!in_cell_ && table(node)) return false;
      f.exit = Exit::kBlock;
      return true;
    default: break;
  }
  if (is_list(tag)) {
    block_boundary();
    const bool inside_item = writer_.item_is_empty() == false && !lists_.empty();
    lists_.push_back({tag == GUMBO_TAG_OL, parse_long(attribute(node, "start"), 1), 0});
    // A sub-list right after its item's text stays tight ("- a\n  - b").
    if (inside_item) writer_.no_blank_line_before_next();
    f.exit = Exit::kList;
    return true;
  }
  if (is_block(tag) || tag == GUMBO_TAG_DD) {
    block_boundary();
    f.exit = Exit::kBlock;
  }
  return true;
}

void HtmlRenderer::leave(const Frame& f) {
  switch (f.exit) {
    case Exit::kNone: return;
    case Exit::kBlock: block_boundary(); return;
    case Exit::kHeading: {
      --inline_only_;
      std::string text = writer_.take_since(f.mark);
      if (text.empty()) return;
      const int level = heading_level(tag_of(f.node));
      if (first_heading_.empty()) first_heading_ = text;
      if (level == 1 && first_h1_.empty()) first_h1_ = text;
      if (in_cell_) {
        writer_.raw(text);
        writer_.end_paragraph();
      } else {
        writer_.heading(level, text);
      }
      return;
    }
    case Exit::kTerm: {
      --inline_only_;
      std::string text = writer_.take_since(f.mark);
      if (!text.empty()) pending_terms_.push_back(std::move(text));
      return;
    }
    case Exit::kCode: {
      --in_code_;
      --inline_only_;
      const bool space_after = writer_.pending_space();
      std::string code = writer_.take_since(f.mark);
      if (!code.empty()) writer_.raw(code_span(code));
      if (space_after) writer_.space();
      return;
    }
    case Exit::kList:
      block_boundary();
      lists_.pop_back();
      writer_.blank_line_before_next();
      return;
    case Exit::kItem:
      flush_terms();
      writer_.close_item();
      return;
    case Exit::kQuote:
      flush_terms();
      writer_.close_quote();
      return;
  }
}

void HtmlRenderer::code_block(const GumboNode* pre) {
  std::string code;
  struct Item {
    const GumboNode* node;
    unsigned next;
  };
  std::vector<Item> stack{{pre, 0}};
  while (!stack.empty()) {
    Item& top = stack.back();
    const GumboVector* kids = children_of(top.node);
    if (kids == nullptr || top.next >= kids->length) {
      stack.pop_back();
      continue;
    }
    const GumboNode* k = child_at(kids, top.next++);
    if (is_text_like(k)) {
      code += clean(text_of(k));
    } else if (is_element(k) && !filter_.is_dropped(k)) {
      if (tag_of(k) == GUMBO_TAG_BR) {
        code += '\n';
      } else {
        stack.push_back({k, 0});
      }
    }
  }
  // The language: on the <pre>, its <code>, or the wrappers Sphinx puts around it.
  std::string lang = language_from_class(attribute(pre, "class"));
  const GumboVector* kids = children_of(pre);
  for (unsigned i = 0; lang.empty() && i < kids->length; ++i) {
    if (tag_of(child_at(kids, i)) == GUMBO_TAG_CODE) lang = language_from_class(attribute(child_at(kids, i), "class"));
  }
  const GumboNode* up = pre->parent;
  for (int i = 0; lang.empty() && i < 2 && up != nullptr && is_element(up); ++i, up = up->parent) {
    lang = language_from_class(attribute(up, "class"));
  }
  writer_.code_block(code, lang);
}

bool HtmlRenderer::table(const GumboNode* node) {
  const TableShape shape = filter_.table_shape(node);
  if (shape.nested_table || shape.has_pre) return false;

  // Rows of the table itself (through thead/tbody/tfoot), not of anything nested.
  std::vector<const GumboNode*> rows;
  const GumboNode* caption = nullptr;
  const GumboVector* kids = children_of(node);
  for (unsigned i = 0; i < kids->length; ++i) {
    const GumboNode* k = child_at(kids, i);
    const GumboTag t = tag_of(k);
    if (t == GUMBO_TAG_CAPTION) {
      caption = k;
    } else if (t == GUMBO_TAG_TR) {
      rows.push_back(k);
    } else if (t == GUMBO_TAG_THEAD || t == GUMBO_TAG_TBODY || t == GUMBO_TAG_TFOOT) {
      const GumboVector* section = children_of(k);
      for (unsigned j = 0; j < section->length; ++j) {
        if (tag_of(child_at(section, j)) == GUMBO_TAG_TR) rows.push_back(child_at(section, j));
      }
    }
  }
  size_t cells = 0;
  for (const GumboNode* r : rows) {
    const GumboVector* rk = children_of(r);
    for (unsigned j = 0; j < rk->length; ++j) {
      const GumboTag t = tag_of(child_at(rk, j));
      cells += (t == GUMBO_TAG_TD || t == GUMBO_TAG_TH) ? 1 : 0;
    }
  }
  // One cell is a box around content; one row is a row of boxes (Python's index page lays
  // out its link columns so). Neither is data worth a pipe table.
  if (cells <= 1 || rows.size() <= 1) return false;

  if (caption != nullptr && !filter_.is_dropped(caption)) {
    std::string text = cell_text(caption);
    if (!text.empty()) {
      writer_.raw(text);
      writer_.end_paragraph();
    }
  }
  std::vector<std::vector<std::string>> grid;
  for (const GumboNode* r : rows) {
    if (filter_.is_dropped(r)) continue;
    std::vector<std::string> line;
    const GumboVector* rk = children_of(r);
    for (unsigned j = 0; j < rk->length; ++j) {
      const GumboNode* cell = child_at(rk, j);
      const GumboTag t = tag_of(cell);
      if (t != GUMBO_TAG_TD && t != GUMBO_TAG_TH) continue;
      line.push_back(filter_.is_dropped(cell) ? std::string() : cell_text(cell));
      // Keep columns aligned under a spanning cell (bounded: colspan="100000" is not a reason
      // to write 100000 cells).
      const long span = std::min<long>(parse_long(attribute(cell, "colspan"), 1), 64);
      for (long s = 1; s < span; ++s) line.emplace_back();
    }
    if (!line.empty()) grid.push_back(std::move(line));
  }
  if (!grid.empty()) writer_.table(grid);
  return true;
}

std::string HtmlRenderer::cell_text(const GumboNode* cell) {
  HtmlRenderer sub(filter_, /*in_cell=*/true);
  const GumboVector* kids = children_of(cell);
  for (unsigned i = 0; i < kids->length; ++i) sub.render(child_at(kids, i));
  const std::string md = sub.finish();
  // One line per cell: line breaks become spaces, '|' would end the cell.
  std::string out;
  bool space = false;
  for (char c : md) {
    if (c == '\n' || c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

void HtmlRenderer::image(const GumboNode* img) {
  std::string alt = clean(attribute(img, "alt"));
  std::string_view a = alt;
  while (!a.empty() && is_html_space(a.front())) a.remove_prefix(1);
  while (!a.empty() && is_html_space(a.back())) a.remove_suffix(1);
  if (!meaningful_alt(a)) return;
  writer_.space();
  writer_.text(a, in_code_ > 0);
  writer_.space();
}

}  // namespace mcdewey::extract::html
