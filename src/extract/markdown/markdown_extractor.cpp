// Markdown is kept as written: only front matter is removed, the text normalised, and the
// title taken from the first heading.
#include <fmt/format.h>

#include "common/strings.h"
#include "common/utf8.h"
#include "extract/extract.h"
#include "extract/normalize.h"

namespace mcdewey::extract {

namespace {

// Removes a leading YAML (---) or TOML (+++) front-matter block.
std::string_view strip_front_matter(std::string_view s) {
  for (std::string_view fence : {std::string_view("---"), std::string_view("+++")}) {
    if (!str::starts_with(s, fence)) continue;
    size_t eol = s.find('\n');
    if (eol == std::string_view::npos || str::trim(s.substr(0, eol)) != fence) continue;
    size_t pos = eol + 1;
    while (pos < s.size()) {
      size_t next = s.find('\n', pos);
      std::string_view line = s.substr(pos, next == std::string_view::npos ? std::string_view::npos : next - pos);
      if (str::trim(line) == fence || (fence == "---" && str::trim(line) == "...")) {
        return next == std::string_view::npos ? std::string_view() : s.substr(next + 1);
      }
      if (next == std::string_view::npos) break;
      pos = next + 1;
    }
  }
  return s;
}

std::string first_heading(std::string_view md) {
  auto lines = str::split(md, '\n');
  bool in_fence = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::string_view t = str::trim(lines[i]);
    if (str::starts_with(t, "```") || str::starts_with(t, "~~~")) in_fence = !in_fence;
    if (in_fence) continue;
    if (str::starts_with(t, "#")) {
      size_t n = t.find_first_not_of('#');
      if (n != std::string_view::npos && n <= 6 && (t[n] == ' ' || t[n] == '\t')) {
        std::string title(str::trim(t.substr(n)));
        while (!title.empty() && title.back() == '#') title.pop_back();
        return str::inline_markdown_to_text(str::trim(title));
      }
    }
    // Setext: a text line underlined with === or ---.
    if (!t.empty() && i + 1 < lines.size()) {
      std::string_view u = str::trim(lines[i + 1]);
      if (u.size() >= 3 && (u.find_first_not_of('=') == std::string_view::npos ||
                            u.find_first_not_of('-') == std::string_view::npos)) {
        return str::inline_markdown_to_text(t);
      }
    }
  }
  return "";
}

}  // namespace

Result<model::Document> extract_markdown(std::string_view bytes) {
  if (size_t bad = utf8::first_invalid(bytes); bad != std::string_view::npos) {
    return invalid_argument(fmt::format("not valid UTF-8 (bad byte at offset {})", bad));
  }
  if (str::starts_with(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
  model::Document doc;
  doc.format = model::Format::kMarkdown;
  doc.markdown = normalize_text(strip_front_matter(bytes));
  if (str::trim(doc.markdown).empty()) return invalid_argument("no text (empty document)");
  doc.title = first_heading(doc.markdown);
  if (!doc.markdown.empty() && doc.markdown.back() != '\n') doc.markdown += '\n';
  return doc;
}

}  // namespace mcdewey::extract
