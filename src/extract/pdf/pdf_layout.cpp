#include "extract/pdf/pdf_layout.h"

#include <unicode/uchar.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "common/strings.h"
#include "common/utf8.h"
#include "extract/normalize.h"

namespace mcdewey::extract::pdf {

namespace {

// --- Tuning -------------------------------------------------------------------------
// Values were chosen on the Sphinx/LaTeX, DocBook and FOP manuals of the test corpus.

// Two words are on one line when their boxes overlap vertically by this share of the
// shorter box (inline code and superscripts sit a little higher or lower).
constexpr double kSameLineOverlap = 0.5;
// Gap between words (in font sizes) that counts as a space even when the reader saw none.
constexpr double kSpaceGap = 0.15;
// A baseline step larger than this many typical pitches starts a new paragraph.
constexpr double kParagraphPitch = 1.25;
// Indentation change (in font sizes) that starts a new paragraph.
constexpr double kIndentStep = 1.0;
// Font size ratio above the body size that makes a heading.
constexpr double kHeadingRatio = 1.15;
// Headings are short: at most this many lines and characters.
constexpr int kHeadingMaxLines = 3;
constexpr size_t kHeadingMaxChars = 200;
// How many rows at the top and at the bottom of a page may hold running headers/footers.
constexpr int kZoneRows = 2;
// A line repeated on at least this many pages may be a running header/footer...
constexpr int kMinRepeats = 3;
// ...and is one for sure when it repeats on this share of the pages with text.
constexpr double kMostPages = 0.5;

// --- Small text helpers -------------------------------------------------------------

bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }

char32_t first_code_point(std::string_view s) {
  if (s.empty()) return 0;
  size_t i = 0;
  return utf8::decode(s, i);
}

// The code point that ends at s.size() (s must be valid UTF-8).
char32_t last_code_point(std::string_view s, size_t* start = nullptr) {
  if (s.empty()) return 0;
  size_t b = s.size() - 1;
  while (b > 0 && (static_cast<unsigned char>(s[b]) & 0xC0) == 0x80) --b;
  if (start) *start = b;
  size_t i = b;
  return utf8::decode(s, i);
}

bool is_letter(char32_t c) { return u_isalpha(static_cast<UChar32>(c)) != 0; }
bool is_lower(char32_t c) { return u_islower(static_cast<UChar32>(c)) != 0; }

size_t count_code_points(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

bool has_letter(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (is_letter(utf8::decode(s, i))) return true;
  }
  return false;
}

// Canonical roman numeral for 1..3999, used to accept only well-formed numerals.
std::string to_roman(int v) {
  static constexpr int kValues[] = {1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1};
  static constexpr const char* kDigits[] = {"m", "cm", "d", "cd", "c", "xc", "l", "xl", "x", "ix", "v", "iv", "i"};
  std::string out;
  for (int i = 0; i < 13; ++i) {
    while (v >= kValues[i]) {
      out += kDigits[i];
      v -= kValues[i];
    }
  }
  return out;
}

// True for a well-formed lowercase or uppercase roman numeral ("iv", "XII"; not "iiii", "dim").
bool is_roman(std::string_view token) {
  if (token.empty() || token.size() > 12) return false;
  std::string t = str::to_lower_ascii(token);
  int total = 0, prev = 0;
  for (size_t i = t.size(); i-- > 0;) {
    int v = 0;
    switch (t[i]) {
      case 'i': v = 1; break;
      case 'v': v = 5; break;
      case 'x': v = 10; break;
      case 'l': v = 50; break;
      case 'c': v = 100; break;
      case 'd': v = 500; break;
      case 'm': v = 1000; break;
      default: return false;
    }
    total += v < prev ? -v : v;
    prev = std::max(prev, v);
  }
  return total > 0 && total < 4000 && to_roman(total) == t;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), is_ascii_digit);
}

// Bullet glyphs that always start a list item, and dashes that do so only at a clear
// paragraph boundary (a dash can also be the first word of a wrapped line).
bool is_strong_bullet(std::string_view t) {
  static constexpr std::string_view kBullets[] = {
      "\u2022", "\u25E6", "\u25AA", "\u25AB", "\u25CF", "\u25CB", "\u25A0", "\u25A1", "\u2023", "\u2043",
      "\u00B7", "\u2219", "\u27A2", "\u25BA", "\u25B8", "\u2013\u2022",
      "\uF0B7", "\uF0A7", "\uF076", "\uF0D8", "\uF0FC"};  // Symbol/Wingdings bullets in Word PDFs
  return std::find(std::begin(kBullets), std::end(kBullets), t) != std::end(kBullets);
}
// Private-use glyphs from icon fonts (FontAwesome admonition icons and the like) carry no
// text; the Symbol/Wingdings bullets among them are kept.
bool is_icon(std::string_view word) {
  if (is_strong_bullet(word)) return false;
  for (size_t i = 0; i < word.size();) {
    const char32_t c = utf8::decode(word, i);
    if (!(c >= 0xE000 && c <= 0xF8FF) && c != ' ') return false;
  }
  return true;
}

bool is_dash_bullet(std::string_view t) { return t == "-" || t == "\u2013" || t == "\u2014" || t == "*"; }

// The first whitespace-separated token of a line.
std::string_view first_token(std::string_view s) {
  s = str::trim(s);
  size_t sp = s.find(' ');
  return sp == std::string_view::npos ? s : s.substr(0, sp);
}

// "1." or "12)" followed by text: an ordered list item (Markdown reads it as one as is).
bool starts_with_number_marker(std::string_view text) {
  std::string_view tok = first_token(text);
  if (tok.size() < 2 || tok.size() > 4 || tok.size() == str::trim(text).size()) return false;
  const char mark = tok.back();
  return (mark == '.' || mark == ')') && all_digits(tok.substr(0, tok.size() - 1));
}

bool ends_sentence(std::string_view s) {
  s = str::trim(s);
  if (s.empty()) return false;
  char c = s.back();
  return c == '.' || c == ':' || c == '!' || c == '?';
}

// Number words used as chapter decoration by Sphinx's LaTeX ("CHAPTER / ONE / TITLE").
bool is_number_word(std::string_view s) {
  static constexpr std::string_view kWords[] = {
      "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
      "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
      "eighteen", "nineteen", "twenty"};
  std::string t = str::to_lower_ascii(str::trim(s));
  if (all_digits(t) || is_roman(t)) return true;
  if (str::starts_with(t, "twenty ") || str::starts_with(t, "thirty")) return true;
  return std::find(std::begin(kWords), std::end(kWords), t) != std::end(kWords);
}

// The key under which a heading is matched with an outline title: lowercase words of
// letters and digits, with a leading section number ("3.2.1", "A.4", "Chapter 7.") removed.
std::string outline_key(std::string_view text) {
  std::vector<std::string> words;
  std::string cur;
  for (size_t i = 0; i < text.size();) {
    size_t at = i;
    char32_t c = utf8::decode(text, i);
    if (c < 0x80 ? (is_ascii_alpha(static_cast<char>(c)) || is_ascii_digit(static_cast<char>(c))) : is_letter(c)) {
      if (c < 0x80) {
        cur += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      } else {
        cur.append(text.substr(at, i - at));
      }
    } else if (c == '.' && !cur.empty() && words.empty() && i < text.size() && is_ascii_digit(text[i])) {
      cur += '.';  // keeps "3.2.1" together so it can be recognised as numbering
    } else if (!cur.empty()) {
      words.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) words.push_back(std::move(cur));
  size_t skip = 0;
  if (skip < words.size() && (words[skip] == "chapter" || words[skip] == "appendix" || words[skip] == "part" ||
                              words[skip] == "section")) {
    ++skip;
  }
  if (skip < words.size() && words.size() - skip > 1) {
    const std::string& w = words[skip];
    bool numbering = std::all_of(w.begin(), w.end(), [](char c) { return is_ascii_digit(c) || c == '.'; }) ||
                     (w.size() == 1 && is_ascii_alpha(w[0])) ||
                     (w.size() > 2 && is_ascii_alpha(w[0]) && w[1] == '.' && is_ascii_digit(w[2]));
    if (numbering) ++skip;
  }
  std::string key;
  for (size_t i = skip; i < words.size(); ++i) {
    if (!key.empty()) key += ' ';
    key += words[i];
  }
  return key;
}

// --- Lines ----------------------------------------------------------------------------

// Accumulates one line's words, then turns them into a Line.
class LineBuilder {
 public:
  explicit LineBuilder(const std::vector<Word>& words) : words_(words) {}

  bool empty() const { return members_.empty(); }

  bool accepts(const Word& w) const {
    if (members_.empty()) return true;
    const Word& last = words_[members_.back()];
    if (w.rotated || last.rotated) return w.rotated && last.rotated;
    const double overlap = std::min(last.y1, w.y1) - std::max(last.y0, w.y0);
    const double shorter = std::min(last.y1 - last.y0, w.y1 - w.y0);
    if (overlap < kSameLineOverlap * shorter) return false;
    // Reading order went back to the left: a new line of another block.
    return w.x0 >= last.x1 - 0.5 * std::max(1.0, std::min(last.font_size, w.font_size));
  }

  void add(size_t index) { members_.push_back(index); }

  Line finish() {
    Line line;
    line.x0 = line.y0 = 1e300;
    line.x1 = line.y1 = -1e300;
    std::map<long, int> size_chars;  // font size in 1/10 pt -> characters
    int bold_chars = 0, mono_chars = 0, chars = 0;
    double width = 0;
    for (size_t idx : members_) {
      const Word& w = words_[idx];
      const int n = static_cast<int>(count_code_points(w.text));
      chars += n;
      size_chars[std::lround(w.font_size * 10)] += n;
      if (w.bold) bold_chars += n;
      if (w.mono) mono_chars += n;
      width += w.x1 - w.x0;
      line.x0 = std::min(line.x0, w.x0);
      line.y0 = std::min(line.y0, w.y0);
      line.x1 = std::max(line.x1, w.x1);
      line.y1 = std::max(line.y1, w.y1);
      line.rotated = w.rotated;
    }
    int best = -1;
    for (const auto& [size, n] : size_chars) {
      if (n > best) {
        best = n;
        line.font_size = static_cast<double>(size) / 10.0;
      }
    }
    line.chars = chars;
    line.bold = chars > 0 && bold_chars * 2 > chars;
    line.mono = chars > 0 && mono_chars == chars;
    line.char_width = chars > 0 ? width / chars : 0;

    std::string text;
    for (size_t k = 0; k < members_.size(); ++k) {
      const Word& w = words_[members_[k]];
      if (k > 0) {
        const Word& prev = words_[members_[k - 1]];
        const double gap = w.x0 - prev.x1;
        if (line.mono && line.char_width > 0 && !line.rotated) {
          // Code keeps its alignment: one space per character cell of the gap.
          const long cells = std::lround(gap / line.char_width);
          text.append(static_cast<size_t>(std::clamp(cells, prev.space_after ? 1L : 0L, 40L)), ' ');
        } else if (prev.space_after || gap > kSpaceGap * std::max(1.0, w.font_size)) {
          text += ' ';
        }
      }
      text += w.text;
    }
    line.text = normalize_text(utf8::sanitize(text));
    // Normalisation may turn odd spaces into leading/trailing blanks.
    if (!line.mono) {
      line.text = str::collapse_spaces(line.text);
    } else {
      while (!line.text.empty() && line.text.back() == ' ') line.text.pop_back();
    }
    members_.clear();
    return line;
  }

 private:
  const std::vector<Word>& words_;
  std::vector<size_t> members_;
};

// --- Document statistics ------------------------------------------------------------

struct Stats {
  double body_size = 10;
  double pitch = 12;  // typical baseline-to-baseline distance of body lines
  int text_pages = 0;
};

Stats document_stats(const std::vector<PageLines>& pages) {
  Stats st;
  std::map<long, long> sizes;  // 1/2 pt buckets -> characters
  for (const PageLines& p : pages) {
    bool any = false;
    for (const Line& l : p.lines) {
      if (l.rotated || l.chars == 0) continue;
      sizes[std::lround(l.font_size * 2)] += l.chars;
      any = true;
    }
    st.text_pages += any ? 1 : 0;
  }
  long best = -1;
  for (const auto& [b, n] : sizes) {
    if (n > best) {
      best = n;
      st.body_size = static_cast<double>(b) / 2.0;
    }
  }
  if (st.body_size <= 0) st.body_size = 10;
  std::map<long, long> pitches;  // 1/4 pt buckets -> count
  for (const PageLines& p : pages) {
    for (size_t i = 1; i < p.lines.size(); ++i) {
      const Line& a = p.lines[i - 1];
      const Line& b = p.lines[i];
      if (a.rotated || b.rotated || a.mono || b.mono) continue;
      if (std::abs(a.font_size - st.body_size) > 0.5 || std::abs(b.font_size - st.body_size) > 0.5) continue;
      const double d = b.y1 - a.y1;
      if (d < 0.9 * st.body_size || d > 2.5 * st.body_size) continue;
      ++pitches[std::lround(d * 4)];
    }
  }
  st.pitch = 1.2 * st.body_size;
  best = -1;
  for (const auto& [b, n] : pitches) {
    if (n > best) {
      best = n;
      st.pitch = static_cast<double>(b) / 4.0;
    }
  }
  return st;
}

// --- Running headers and footers ----------------------------------------------------

struct ZoneHit {
  int page = 0;
  size_t line = 0;
  bool top = false;
  bool outer = false;  // the outermost row of the page
  double center = 0;   // vertical centre of the line
  std::string key;
  int repeats = 0;     // pages on which the key occurs in the same zone
};

// Marks running headers/footers and margin page numbers in `drop[page][line]`.
//
// Only the top and bottom kZoneRows rows of each page are considered. A line there goes
// when (a) its key repeats on most pages; or (b) it sits in a header/footer band: a
// position where many pages have a line and most of those lines repeat or are page
// numbers, so that a chapter title in the running header of a one-page chapter goes too
// while a section heading that happens to start a few pages stays (outermost row only); or (c) it is a page
// number on the outermost row, or equal to the page's own number or label; or (d) it is
// small print repeated on several pages ("(continued from previous page)").
void mark_running_lines(const std::vector<PageLines>& pages, const Stats& st,
                        std::vector<std::vector<bool>>& drop) {
  std::vector<ZoneHit> hits;
  for (size_t p = 0; p < pages.size(); ++p) {
    const std::vector<Line>& lines = pages[p].lines;
    std::vector<size_t> order;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (!lines[i].rotated && lines[i].chars > 0) order.push_back(i);
    }
    if (order.empty()) continue;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return lines[a].y0 < lines[b].y0; });
    // Rows: lines that overlap vertically (a header's left and right parts are one row).
    std::vector<std::pair<double, std::vector<size_t>>> rows;  // bottom edge, members
    for (size_t i : order) {
      const Line& l = lines[i];
      const double h = std::max(1.0, l.y1 - l.y0);
      if (!rows.empty() && l.y0 < rows.back().first - 0.3 * h) {
        rows.back().first = std::max(rows.back().first, l.y1);
        rows.back().second.push_back(i);
      } else {
        rows.push_back({l.y1, {i}});
      }
    }
    const int n = static_cast<int>(rows.size());
    auto add_row = [&](int r, bool top) {
      for (size_t i : rows[static_cast<size_t>(r)].second) {
        const Line& l = lines[i];
        hits.push_back({static_cast<int>(p), i, top, top ? r == 0 : r == n - 1, (l.y0 + l.y1) / 2,
                        header_key(l.text), 0});
      }
    };
    for (int r = 0; r < std::min(n, kZoneRows); ++r) add_row(r, true);
    for (int r = std::max(0, n - kZoneRows); r < n; ++r) add_row(r, false);
  }

  // Distinct pages on which each (zone, key) occurs.
  std::unordered_map<std::string, std::vector<int>> pages_of;
  for (const ZoneHit& h : hits) {
    if (h.key.empty()) continue;
    auto& v = pages_of[(h.top ? "t:" : "b:") + h.key];
    if (v.empty() || v.back() != h.page) v.push_back(h.page);
  }
  for (ZoneHit& h : hits) {
    if (!h.key.empty()) h.repeats = static_cast<int>(pages_of[(h.top ? "t:" : "b:") + h.key].size());
  }
  const int most = std::max(kMinRepeats, static_cast<int>(std::ceil(kMostPages * st.text_pages)));

  auto line_of = [&](const ZoneHit& h) -> const Line& { return pages[h.page].lines[h.line]; };
  auto own_number = [&](const ZoneHit& h) {
    const std::string t = str::to_lower_ascii(str::trim(line_of(h).text));
    const std::string& label = pages[h.page].label;
    return t == std::to_string(h.page + 1) || (!label.empty() && t == str::to_lower_ascii(label));
  };
  auto running = [&](const ZoneHit& h) {
    return h.repeats >= kMinRepeats || (h.key.empty() && is_page_number(line_of(h).text));
  };

  // Bands: outermost-row hits of one zone whose centres lie within a few points of each
  // other. Inner rows never form bands: a layout that starts every man page with
  // "NAME" at the same height would otherwise take the body lines level with it.
  std::vector<size_t> order;
  for (size_t i = 0; i < hits.size(); ++i) {
    if (hits[i].outer) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (hits[a].top != hits[b].top) return hits[a].top;
    return hits[a].center < hits[b].center;
  });
  std::vector<bool> in_band(hits.size(), false);
  for (size_t b = 0; b < order.size();) {
    size_t e = b + 1;
    while (e < order.size() && hits[order[e]].top == hits[order[b]].top &&
           hits[order[e]].center - hits[order[b]].center <= 3.0) {
      ++e;
    }
    int total = 0, repeated = 0;
    for (size_t k = b; k < e; ++k) {
      ++total;
      repeated += running(hits[order[k]]) ? 1 : 0;
    }
    if (repeated >= kMinRepeats && 2 * repeated >= total) {
      for (size_t k = b; k < e; ++k) in_band[order[k]] = true;
    }
    b = e;
  }

  for (size_t i = 0; i < hits.size(); ++i) {
    const ZoneHit& h = hits[i];
    const Line& l = line_of(h);
    bool dropped = false;
    if (h.repeats >= most) {
      dropped = true;
    } else if (in_band[i]) {
      // Headings that share the band (a chapter opener's title) stay.
      dropped = l.font_size <= 1.25 * st.body_size && l.text.size() <= 160;
    } else if (h.key.empty()) {
      dropped = is_page_number(l.text) && (h.outer || own_number(h));
    } else if (h.repeats >= kMinRepeats) {
      // Small print such as Sphinx's "(continued from previous page)"; code is often set
      // smaller than the body too, and a listing may well start several pages.
      dropped = l.font_size < 0.92 * st.body_size && !l.mono;
    }
    if (dropped) {
      if (getenv("MCD_PDF_DEBUG")) fprintf(stderr, "DROP p%d %s%s n=%d band=%d '%s'\n", h.page + 1, h.top ? "top" : "bot", h.outer ? "/outer" : "/inner", h.repeats, (int)in_band[i], l.text.c_str());
      drop[h.page][h.line] = true;
    }
  }
}

// --- Blocks ---------------------------------------------------------------------------

enum class BlockKind { kText, kList, kCode, kHeading };

struct Block {
  BlockKind kind = BlockKind::kText;
  std::vector<const Line*> lines;
  int level = 0;
  bool marker_in_text = false;  // a list item whose first token is its bullet glyph
  bool ordered = false;         // a list item that starts with its number ("2. ...")
  std::string text;  // rendered body (without the heading marks)
};

bool starts_with_bullet(const Line& l) {
  std::string_view tok = first_token(l.text);
  return is_strong_bullet(tok) || (is_dash_bullet(tok) && tok.size() < l.text.size());
}

// Whether geometry, fonts or bullets put line b into a new block after line a.
bool breaks_between(const Line& a, const Line& b, const Block& block, const Stats& st) {
  if (a.rotated || b.rotated) return true;
  const double size = std::max(a.font_size, b.font_size);
  const double overlap = std::min(a.y1, b.y1) - std::max(a.y0, b.y0);
  // The rest of the same visual line that the reader put in another block ("Note:" | text).
  if (overlap >= kSameLineOverlap * std::min(a.y1 - a.y0, b.y1 - b.y0) && b.x0 >= a.x1 - 1.0) return false;
  const double expected = st.pitch * size / st.body_size;
  const double step = b.y1 - a.y1;
  const std::string_view a_text = str::trim(a.text);
  if (is_strong_bullet(a_text) || is_dash_bullet(a_text)) {  // a lone bullet glyph and its item
    return step < -0.5 * size || step > expected * kParagraphPitch + 1.0;
  }
  if (a.mono && b.mono) {
    // Code: blank lines inside a listing are a double step; indentation is content.
    return step < 0.4 * std::min(a.font_size, b.font_size) || step > expected * 3.2 ||
           std::abs(a.font_size - b.font_size) > 0.12 * size;
  }
  if (step > expected * kParagraphPitch + 1.0) return true;
  if (step < 0.4 * std::min(a.font_size, b.font_size)) return true;  // back up: another column or cell
  if (std::abs(a.font_size - b.font_size) > 0.12 * size) return true;
  std::string_view tok = first_token(b.text);
  if (is_strong_bullet(tok)) return true;
  if ((starts_with_number_marker(b.text) || (is_dash_bullet(tok) && tok.size() < b.text.size())) &&
      (ends_sentence(a.text) || block.kind == BlockKind::kList || b.x0 < a.x0 - 1.0)) {
    return true;
  }
  double left = b.x0, right = b.x1;
  for (const Line* l : block.lines) {
    left = std::min(left, l->x0);
    right = std::max(right, l->x1);
  }
  const bool a_short = a.x1 < right - 4 * b.font_size;
  // A bold line that stops short is a run-in heading or a term; inline bold words are not.
  if (a.bold && !b.bold && a_short) return true;
  const double indent = kIndentStep * b.font_size;
  if (b.x0 > a.x0 + indent) {
    // A list item's continuation lines are indented past its bullet.
    if (block.kind == BlockKind::kList) return b.x0 > block.lines.front()->x0 + 4 * indent;
    return true;
  }
  // Outdented past the block's left edge; the first line of an indented paragraph is not.
  if (b.x0 < left - indent && !(block.lines.size() == 1 && block.kind == BlockKind::kText)) return true;
  // A short line ending a sentence ends its paragraph when the next one is full.
  return ends_sentence(a.text) && a_short;
}

bool is_lone_bullet(const Line& l) {
  const std::string_view t = str::trim(l.text);
  return is_strong_bullet(t) || is_dash_bullet(t);
}

std::vector<Block> page_blocks(const std::vector<const Line*>& all, const Stats& st) {
  // Bullets set in a column of their own (FOP, some Word exports) come as lone glyph lines
  // apart from their items: pin each to the text line beside it and drop the glyph.
  std::vector<bool> anchored(all.size(), false), skip(all.size(), false);
  for (size_t i = 0; i < all.size(); ++i) {
    const Line& g = *all[i];
    // Not "-" or "*": alone in a table cell they mean "none", not a list.
    const std::string_view glyph = str::trim(g.text);
    if (g.rotated || !(is_strong_bullet(glyph) || glyph == "\u2013")) continue;
    for (size_t j = 0; j < all.size(); ++j) {
      const Line& t = *all[j];
      if (j == i || anchored[j] || skip[j] || t.rotated || is_lone_bullet(t)) continue;
      const double overlap = std::min(g.y1, t.y1) - std::max(g.y0, t.y0);
      if (overlap < kSameLineOverlap * std::min(g.y1 - g.y0, t.y1 - t.y0)) continue;
      if (t.x0 < g.x1 - 1.0 || t.x0 - g.x1 > 6 * std::max(g.font_size, t.font_size)) continue;
      anchored[j] = true;
      skip[i] = true;
      break;
    }
  }
  std::vector<const Line*> lines;
  std::vector<bool> item;
  for (size_t i = 0; i < all.size(); ++i) {
    if (skip[i]) continue;
    lines.push_back(all[i]);
    item.push_back(anchored[i]);
  }

  // A lone monospace line right after running text is inline code that wrapped onto a
  // line of its own, not a code block (a listing is introduced by a sentence or a colon).
  std::vector<bool> mono(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) mono[i] = lines[i]->mono;
  for (size_t i = 1; i < lines.size(); ++i) {
    if (!mono[i] || mono[i - 1] || (i + 1 < lines.size() && mono[i + 1])) continue;
    const Line& a = *lines[i - 1];
    const double step = lines[i]->y1 - a.y1;
    if (step > 0 && step <= st.pitch * kParagraphPitch + 1.0 && !ends_sentence(a.text)) mono[i] = false;
  }

  std::vector<Block> blocks;
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& l = *lines[i];
    bool start = blocks.empty() || item[i] || mono[i] != mono[i - 1] ||
                 breaks_between(*lines[i - 1], l, blocks.back(), st);
    if (start) {
      Block b;
      if (mono[i]) {
        b.kind = BlockKind::kCode;
      } else if (item[i]) {
        b.kind = BlockKind::kList;
      } else if (starts_with_bullet(l)) {
        b.kind = BlockKind::kList;
        b.marker_in_text = true;
      } else if (starts_with_number_marker(l.text)) {
        b.kind = BlockKind::kList;
        b.ordered = true;
      }
      blocks.push_back(std::move(b));
    } else if (blocks.back().kind == BlockKind::kText && blocks.back().lines.size() == 1 &&
               is_lone_bullet(*blocks.back().lines.front())) {
      // A bullet glyph on the line above its text.
      blocks.back().kind = BlockKind::kList;
      blocks.back().marker_in_text = true;
    }
    blocks.back().lines.push_back(&l);
  }
  return blocks;
}

std::string code_text(const Block& b, const Stats& st) {
  double left = 1e300, cell = 0;
  int cells_n = 0;
  for (const Line* l : b.lines) {
    left = std::min(left, l->x0);
    if (l->char_width > 0) {
      cell += l->char_width;
      ++cells_n;
    }
  }
  cell = cells_n > 0 ? cell / cells_n : 0;
  std::string out;
  for (size_t i = 0; i < b.lines.size(); ++i) {
    const Line& l = *b.lines[i];
    if (i > 0) {
      out += '\n';
      // Blank lines inside a listing show up as a double step.
      const double step = l.y1 - b.lines[i - 1]->y1;
      const double pitch = st.pitch * l.font_size / st.body_size;
      if (pitch > 0 && step > 1.6 * pitch) out += step > 2.6 * pitch ? "\n\n" : "\n";
    }
    if (cell > 0) {
      const long indent = std::lround((l.x0 - left) / cell);
      out.append(static_cast<size_t>(std::clamp(indent, 0L, 60L)), ' ');
    }
    out += l.text;
  }
  return out;
}

// Escapes what would turn a paragraph into other Markdown structure when it starts a line.
std::string escape_leading(std::string_view s) {
  const bool special = !s.empty() && (s.front() == '#' || s.front() == '>' || s.front() == '<' ||
                                      str::starts_with(s, "```") || str::starts_with(s, "~~~") ||
                                      (s.front() == '=' && s.find_first_not_of('=') == std::string_view::npos));
  return special ? "\\" + std::string(s) : std::string(s);
}

std::string fence_for(const std::string& code) {
  size_t longest = 0, run = 0;
  for (char c : code) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<size_t>(3, longest + 1), '`');
}

// --- Outline ---------------------------------------------------------------------------

class OutlineMatcher {
 public:
  explicit OutlineMatcher(const std::vector<OutlineEntry>& outline) : outline_(outline) {
    for (size_t i = 0; i < outline.size(); ++i) {
      std::string key = outline_key(normalize_text(outline[i].title));
      if (!key.empty()) index_[key].push_back(i);
    }
  }

  // The outline entry a heading-looking text stands for. Titles such as "Examples" occur
  // many times, so the one after the previous match wins (headings come in outline order).
  const OutlineEntry* match(std::string_view text) {
    auto it = index_.find(outline_key(text));
    if (it == index_.end()) return nullptr;
    const std::vector<size_t>& at = it->second;
    auto next = std::lower_bound(at.begin(), at.end(), cursor_);
    size_t idx = next != at.end() ? *next : at.front();
    cursor_ = idx + 1;
    return &outline_[idx];
  }

  bool empty() const { return index_.empty(); }

 private:
  const std::vector<OutlineEntry>& outline_;
  std::unordered_map<std::string, std::vector<size_t>> index_;
  size_t cursor_ = 0;
};

bool is_all_caps(std::string_view s) {
  bool upper = false;
  for (size_t i = 0; i < s.size();) {
    char32_t c = utf8::decode(s, i);
    if (is_lower(c)) return false;
    if (u_isupper(static_cast<UChar32>(c))) upper = true;
  }
  return upper;
}

struct PageBlocks {
  std::vector<Block> blocks;
};

// Headings. Candidates are short blocks in a larger font, or bold ones the outline names.
// The outline gives levels where it matches; each font style then takes the level its
// matched headings have, and a style no outline entry matched goes one level below the
// nearest larger matched style (or by size rank when nothing matched at all).
void assign_headings(std::vector<PageBlocks>& laid, const Stats& st, const std::vector<OutlineEntry>& outline) {
  OutlineMatcher matcher(outline);
  struct Candidate {
    Block* block;
    long style;  // font size in 1/2 pt, negative when bold
    double size;
    const OutlineEntry* entry;
  };
  std::vector<Candidate> candidates;
  for (PageBlocks& pb : laid) {
    for (Block& b : pb.blocks) {
      if (b.kind != BlockKind::kText || b.lines.size() > static_cast<size_t>(kHeadingMaxLines)) continue;
      std::vector<std::string> texts;
      double size = 0;
      bool bold = true;
      for (const Line* l : b.lines) {
        texts.push_back(l->text);
        size = std::max(size, l->font_size);
        bold = bold && l->bold;
      }
      std::string text = join_lines(texts);
      if (text.size() > kHeadingMaxChars || !has_letter(text) || is_page_number(text)) continue;
      const bool larger = size >= kHeadingRatio * st.body_size && size - st.body_size >= 1.0;
      if (!larger && (!bold || b.lines.size() > 2)) continue;
      const OutlineEntry* entry = matcher.match(text);
      if (entry == nullptr) {
        // Without the outline's word, only a clearly styled short line is a heading:
        // title-page blurbs and captions in a slightly larger font are not.
        if (!larger || b.lines.size() > 2 || text.size() > 120) continue;
        if (!bold && size < 1.4 * st.body_size) continue;
        const char last = text.back();
        if (last == ':' || last == '.' || last == ',' || last == ';') continue;
      } else if (is_all_caps(text)) {
        std::string title = str::collapse_spaces(normalize_text(entry->title));
        if (str::to_lower_ascii(title) == str::to_lower_ascii(text)) text = title;
      }
      b.text = std::move(text);
      candidates.push_back({&b, std::lround(size * 2) * (bold ? -1 : 1), size, entry});
    }
  }

  std::map<long, std::map<int, int>> matched;  // style -> outline level -> count
  for (const Candidate& c : candidates) {
    if (c.entry) ++matched[c.style][std::min(c.entry->depth + 1, 6)];
  }
  auto style_level = [&](long style) {
    int level = 0, best = -1;
    for (const auto& [lv, n] : matched.at(style)) {
      if (n > best) {
        best = n;
        level = lv;
      }
    }
    return level;
  };
  std::vector<double> sizes;
  for (const Candidate& c : candidates) {
    if (std::find(sizes.begin(), sizes.end(), c.size) == sizes.end()) sizes.push_back(c.size);
  }
  std::sort(sizes.begin(), sizes.end(), std::greater<>());
  for (Candidate& c : candidates) {
    int level = 0;
    if (c.entry) {
      level = std::min(c.entry->depth + 1, 6);
    } else if (matched.count(c.style)) {
      level = style_level(c.style);
    } else if (!matched.empty()) {
      // Nearest matched style above this size; none above: a title-like top level.
      double above = 1e300;
      long above_style = 0;
      for (const auto& [style, levels] : matched) {
        const double s = static_cast<double>(std::labs(style)) / 2.0;
        if (s > c.size + 0.25 && s < above) {
          above = s;
          above_style = style;
        }
      }
      if (above_style != 0) {
        level = style_level(above_style) + 1;
      } else {
        // Above every matched style (title page): rank among those sizes.
        level = 1 + static_cast<int>(std::count_if(sizes.begin(), sizes.end(), [&](double s) { return s > c.size + 0.25; }));
      }
    } else {
      level = 1 + static_cast<int>(std::find(sizes.begin(), sizes.end(), c.size) - sizes.begin());
    }
    c.block->kind = BlockKind::kHeading;
    c.block->level = std::clamp(level, 1, 6);
  }
}

}  // namespace

// --- Public helpers --------------------------------------------------------------------

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& raw : lines) {
    std::string_view l = str::trim(raw);
    if (l.empty()) continue;
    if (out.empty()) {
      out.assign(l);
      continue;
    }
    if (out.size() >= 2 && out.back() == '-') {
      size_t start = 0;
      const char32_t before = last_code_point(std::string_view(out).substr(0, out.size() - 1), &start);
      if (is_letter(before)) {
        if (is_lower(first_code_point(l))) out.pop_back();  // "config-" + "uration"
        out.append(l);  // "IPv4-" + "Mapped" keeps its hyphen
        continue;
      }
    }
    if ((out.back() == '/' || out.back() == '_') && out.size() >= 2 && out[out.size() - 2] != ' ') {
      out.append(l);  // a path, URL or identifier broken after a slash or underscore
      continue;
    }
    out += ' ';
    out.append(l);
  }
  return out;
}

std::string header_key(std::string_view line) {
  std::string key;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    std::string_view tok = line.substr(i, j - i);
    i = j;
    std::string letters;
    for (char c : tok) {
      if (is_ascii_alpha(c)) {
        letters += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      } else if (static_cast<unsigned char>(c) >= 0x80) {
        letters += c;
      }
    }
    if (letters.empty() || is_roman(letters)) continue;
    // Keep only tokens that are words; "1.20.1" or "iv." contribute nothing.
    if (!key.empty()) key += ' ';
    key += letters;
  }
  return key;
}

bool is_page_number(std::string_view line) {
  std::string t = str::to_lower_ascii(str::trim(line));
  auto strip = [&](std::string_view chars) {
    size_t b = 0, e = t.size();
    while (b < e && chars.find(t[b]) != std::string_view::npos) ++b;
    while (e > b && chars.find(t[e - 1]) != std::string_view::npos) --e;
    t = t.substr(b, e - b);
  };
  strip(" -|[]().");
  for (std::string_view dash : {"\u2013", "\u2014"}) {
    while (str::starts_with(t, dash)) t.erase(0, dash.size());
    while (str::ends_with(t, dash)) t.erase(t.size() - dash.size());
  }
  strip(" ");
  for (std::string_view prefix : {"page ", "p. ", "pg. ", "pg "}) {
    if (str::starts_with(t, prefix)) {
      t.erase(0, prefix.size());
      break;
    }
  }
  if (all_digits(t) && t.size() <= 5) return true;
  if (is_roman(t)) return true;
  // "7 of 120", "7 / 120", "7/120"
  for (std::string_view sep : {" of ", " / ", "/"}) {
    size_t at = t.find(sep);
    if (at != std::string::npos) {
      std::string_view a = std::string_view(t).substr(0, at);
      std::string_view b = std::string_view(t).substr(at + sep.size());
      if (all_digits(str::trim(a)) && all_digits(str::trim(b))) return true;
    }
  }
  return false;
}

std::string sanitize_label(std::string_view label) {
  std::string s = normalize_text(utf8::sanitize(label));
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '<' || c == '>' || c == '\n' || c == '\t') continue;
    if (c == '-' && !out.empty() && out.back() == '-') continue;  // no "--" inside an HTML comment
    out += c;
  }
  return std::string(str::trim(out));
}

PageLines build_page_lines(const PageWords& page) {
  PageLines out;
  out.label = page.label;
  LineBuilder builder(page.words);
  std::vector<Line> rotated;
  for (size_t i = 0; i < page.words.size(); ++i) {
    const Word& w = page.words[i];
    if (str::trim(w.text).empty() || is_icon(w.text)) continue;
    if (!builder.accepts(w)) {
      Line l = builder.finish();
      if (!l.text.empty()) (l.rotated ? rotated : out.lines).push_back(std::move(l));
    }
    builder.add(i);
  }
  if (!builder.empty()) {
    Line l = builder.finish();
    if (!l.text.empty()) (l.rotated ? rotated : out.lines).push_back(std::move(l));
  }
  // Rotated text (margin notes, table headers set sideways) goes after the page's text.
  for (Line& l : rotated) out.lines.push_back(std::move(l));
  return out;
}

Rendered render_markdown(const std::vector<PageLines>& pages, const std::vector<OutlineEntry>& outline) {
  Rendered r;
  const Stats st = document_stats(pages);
  for (const PageLines& p : pages) {
    for (const Line& l : p.lines) r.text_chars += l.chars;
  }

  std::vector<std::vector<bool>> drop(pages.size());
  for (size_t p = 0; p < pages.size(); ++p) drop[p].assign(pages[p].lines.size(), false);
  mark_running_lines(pages, st, drop);

  std::vector<PageBlocks> laid(pages.size());
  for (size_t p = 0; p < pages.size(); ++p) {
    std::vector<const Line*> kept;
    for (size_t i = 0; i < pages[p].lines.size(); ++i) {
      if (!drop[p][i]) kept.push_back(&pages[p].lines[i]);
    }
    laid[p].blocks = page_blocks(kept, st);
  }

  assign_headings(laid, st, outline);

  // Render every block's text.
  for (PageBlocks& pb : laid) {
    for (size_t i = 0; i < pb.blocks.size(); ++i) {
      Block& b = pb.blocks[i];
      if (b.kind == BlockKind::kHeading) {
        // Sphinx's "CHAPTER / ONE / Title": the number word is decoration of the next heading.
        if (is_number_word(b.text) && i + 1 < pb.blocks.size() && pb.blocks[i + 1].kind == BlockKind::kHeading) {
          b.text.clear();
        }
        continue;
      }
      if (b.kind == BlockKind::kCode) {
        b.text = code_text(b, st);
        continue;
      }
      std::vector<std::string> texts;
      for (const Line* l : b.lines) texts.push_back(l->text);
      std::string text = join_lines(texts);
      if (b.kind == BlockKind::kList && b.ordered) {
        // Kept as printed: "2. text" is already a Markdown ordered list item.
      } else if (b.kind == BlockKind::kList) {
        std::string_view rest = text;
        if (b.marker_in_text) rest = str::trim(rest.substr(first_token(rest).size()));
        text = rest.empty() ? std::string() : "- " + std::string(rest);
      } else {
        text = escape_leading(text);
      }
      b.text = std::move(text);
    }
  }

  // A word hyphenated across a page break is rejoined on the page where it starts.
  for (size_t p = 1; p < laid.size(); ++p) {
    if (laid[p - 1].blocks.empty() || laid[p].blocks.empty()) continue;
    Block& tail = laid[p - 1].blocks.back();
    Block& head = laid[p].blocks.front();
    if ((tail.kind != BlockKind::kText && tail.kind != BlockKind::kList) || head.kind != BlockKind::kText) continue;
    if (tail.text.size() < 2 || tail.text.back() != '-') continue;
    if (!is_letter(last_code_point(std::string_view(tail.text).substr(0, tail.text.size() - 1)))) continue;
    if (!is_lower(first_code_point(head.text))) continue;
    size_t sp = head.text.find(' ');
    std::string word = head.text.substr(0, sp);
    tail.text.pop_back();
    tail.text += word;
    head.text = sp == std::string::npos ? std::string() : head.text.substr(sp + 1);
  }

  std::string& md = r.markdown;
  for (size_t p = 0; p < laid.size(); ++p) {
    const int number = static_cast<int>(p) + 1;
    const std::string label = sanitize_label(pages[p].label);
    if (label.empty() || label == std::to_string(number)) {
      md += fmt::format("<!-- page {} -->\n\n", number);
    } else {
      md += fmt::format("<!-- page {} label=\"{}\" -->\n\n", number, label);
    }
    for (const Block& b : laid[p].blocks) {
      if (b.text.empty()) continue;
      switch (b.kind) {
        case BlockKind::kHeading:
          md += std::string(static_cast<size_t>(b.level), '#');
          md += ' ';
          md += b.text;
          if (r.first_heading.empty()) r.first_heading = b.text;
          break;
        case BlockKind::kCode: {
          const std::string fence = fence_for(b.text);
          md += fence + "\n" + b.text + "\n" + fence;
          break;
        }
        case BlockKind::kText:
        case BlockKind::kList:
          md += b.text;
          break;
      }
      if (r.first_line.empty()) r.first_line = std::string(str::trim(b.text.substr(0, b.text.find('\n'))));
      md += "\n\n";
    }
  }
  while (md.size() >= 2 && md[md.size() - 1] == '\n' && md[md.size() - 2] == '\n') md.pop_back();
  return r;
}

}  // namespace mcdewey::extract::pdf
