#include "chunk/blocks.h"

#include <charconv>

#include "common/strings.h"

namespace mcdewey::chunk {

bool parse_page_marker(std::string_view line, PageMarker* out) {
  std::string_view t = str::trim(line);
  constexpr std::string_view kOpen = "<!-- page ";
  constexpr std::string_view kClose = "-->";
  if (!str::starts_with(t, kOpen) || !str::ends_with(t, kClose)) return false;
  std::string_view body = str::trim(t.substr(kOpen.size(), t.size() - kOpen.size() - kClose.size()));
  int page = 0;
  auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), page);
  if (ec != std::errc() || page <= 0) return false;
  std::string_view rest = str::trim(body.substr(static_cast<size_t>(ptr - body.data())));
  std::string label;
  if (!rest.empty()) {
    constexpr std::string_view kLabel = "label=\"";
    if (!str::starts_with(rest, kLabel) || rest.back() != '"' || rest.size() < kLabel.size() + 1) return false;
    label = std::string(rest.substr(kLabel.size(), rest.size() - kLabel.size() - 1));
  }
  if (out) {
    out->page = page;
    out->label = std::move(label);
  }
  return true;
}

namespace {

bool is_fence(std::string_view t, std::string* fence) {
  for (char c : {'`', '~'}) {
    size_t n = 0;
    while (n < t.size() && t[n] == c) ++n;
    if (n >= 3) {
      if (fence) *fence = std::string(n, c);
      return true;
    }
  }
  return false;
}

int heading_level(std::string_view line, std::string* text) {
  // ATX heading: up to 3 spaces, 1-6 '#', then a space or end of line.
  size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  size_t n = 0;
  while (i + n < line.size() && line[i + n] == '#') ++n;
  if (n == 0 || n > 6) return 0;
  if (i + n < line.size() && line[i + n] != ' ' && line[i + n] != '\t') return 0;
  std::string_view rest = str::trim(line.substr(i + n));
  while (!rest.empty() && rest.back() == '#') rest.remove_suffix(1);  // closing sequence
  if (text) *text = std::string(str::trim(rest));
  return static_cast<int>(n);
}

}  // namespace

std::vector<Block> split_blocks(std::string_view md) {
  std::vector<Block> blocks;
  int page = 0;
  std::string label;
  bool have_open = false;
  Block cur;
  std::string fence;  // non-empty while inside a fenced code block

  auto close = [&](size_t end) {
    if (!have_open) return;
    cur.end = end;
    std::string_view span = md.substr(cur.start, cur.end - cur.start);
    cur.words = static_cast<int>(str::count_words(span));
    if (cur.kind == BlockKind::kHeading) cur.words = static_cast<int>(str::count_words(cur.heading_text));
    blocks.push_back(std::move(cur));
    cur = Block{};
    have_open = false;
  };
  auto open = [&](BlockKind kind, size_t start) {
    cur = Block{};
    cur.kind = kind;
    cur.start = start;
    cur.page = page;
    cur.page_end = page;
    cur.page_label = label;
    have_open = true;
  };

  size_t pos = 0;
  while (pos < md.size()) {
    size_t nl = md.find('\n', pos);
    size_t line_end = nl == std::string_view::npos ? md.size() : nl;
    size_t next = nl == std::string_view::npos ? md.size() : nl + 1;
    std::string_view line = md.substr(pos, line_end - pos);
    std::string_view t = str::trim(line);

    if (!fence.empty()) {  // inside a code fence: only the closing fence matters
      std::string f;
      if (is_fence(t, &f) && f[0] == fence[0] && f.size() >= fence.size() && str::trim(t.substr(f.size())).empty()) {
        fence.clear();
        close(line_end);
      }
      pos = next;
      continue;
    }

    PageMarker marker;
    if (parse_page_marker(line, &marker)) {
      close(pos > 0 ? pos - 1 : 0);
      page = marker.page;
      label = marker.label;
      pos = next;
      continue;
    }
    if (t.empty()) {
      close(pos > 0 ? pos - 1 : 0);
      pos = next;
      continue;
    }
    std::string f;
    if (is_fence(t, &f)) {
      close(pos > 0 ? pos - 1 : 0);
      open(BlockKind::kCode, pos);
      fence = f;
      pos = next;
      continue;
    }
    std::string htext;
    if (int level = heading_level(line, &htext); level > 0) {
      close(pos > 0 ? pos - 1 : 0);
      open(BlockKind::kHeading, pos);
      cur.level = level;
      cur.heading_text = str::inline_markdown_to_text(htext);
      close(line_end);
      pos = next;
      continue;
    }
    bool table_line = str::starts_with(t, "|");
    if (have_open && cur.kind == BlockKind::kTable && !table_line) close(pos - 1);
    if (have_open && cur.kind == BlockKind::kParagraph && table_line) close(pos - 1);
    if (!have_open) open(table_line ? BlockKind::kTable : BlockKind::kParagraph, pos);
    pos = next;
  }
  close(md.size() > 0 && md.back() == '\n' ? md.size() - 1 : md.size());
  // Unterminated fence: closed at the end of the document above.
  return blocks;
}

std::string text_without_markers(std::string_view md, size_t start, size_t end) {
  std::string out;
  out.reserve(end - start);
  size_t pos = start;
  bool last_blank = true;
  while (pos < end) {
    size_t nl = md.find('\n', pos);
    size_t line_end = (nl == std::string_view::npos || nl > end) ? end : nl;
    std::string_view line = md.substr(pos, line_end - pos);
    if (!parse_page_marker(line, nullptr)) {
      bool blank = str::trim(line).empty();
      if (!(blank && last_blank)) {  // collapse runs of blank lines left by removed markers
        out.append(line);
        out += '\n';
      }
      last_blank = blank;
    }
    pos = line_end + 1;
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace mcdewey::chunk
