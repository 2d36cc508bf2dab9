// Plain text is kept as written. The canonical copy is read as Markdown, so lines that
// Markdown would take for headings or page markers are escaped; nothing else changes.
#include <fmt/format.h>

#include "common/strings.h"
#include "common/utf8.h"
#include "extract/extract.h"
#include "extract/normalize.h"

namespace mcdewey::extract {

Result<model::Document> extract_text(std::string_view bytes) {
  if (size_t bad = utf8::first_invalid(bytes); bad != std::string_view::npos) {
    return invalid_argument(fmt::format("not valid UTF-8 (bad byte at offset {})", bad));
  }
  if (str::starts_with(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
  std::string text = normalize_text(bytes);
  if (str::trim(text).empty()) return invalid_argument("no text (empty document)");

  model::Document doc;
  doc.format = model::Format::kText;
  doc.markdown.reserve(text.size() + 64);
  for (const auto& line : str::split(text, '\n')) {
    std::string_view t = str::trim(line);
    if (doc.title.empty() && !t.empty()) doc.title = std::string(utf8::truncate(t, 160));
    if (str::starts_with(t, "#") || str::starts_with(t, "<!--")) doc.markdown += '\\';
    doc.markdown += line;
    doc.markdown += '\n';
  }
  while (doc.markdown.size() > 1 && doc.markdown[doc.markdown.size() - 2] == '\n') doc.markdown.pop_back();
  return doc;
}

}  // namespace mcdewey::extract
