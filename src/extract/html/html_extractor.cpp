// HTML -> canonical Markdown: decode, parse with gumbo (html_parse), find the content
// (content_filter), render it (html_renderer), normalise, pick a title.
#include <unicode/ucnv.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <exception>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "common/strings.h"
#include "common/utf8.h"
#include "extract/extract.h"
#include "extract/html/content_filter.h"
#include "extract/html/html_parse.h"
#include "extract/html/html_renderer.h"
#include "extract/normalize.h"

namespace mcdewey::extract {

namespace {

// Gumbo keeps positions in 32-bit fields and needs ~10x the input in memory; no manual is
// anywhere near this size (the corpus maximum is 2.6 MB).
constexpr size_t kMaxHtmlBytes = size_t{256} << 20;

// The charset a page declares in a <meta> tag (either form: <meta charset="x"> or
// http-equiv="Content-Type" content="text/html; charset=x"), lower-cased; empty if none.
// Like the HTML5 prescan, only the first KiBs are looked at.
std::string declared_charset(std::string_view bytes) {
  const std::string head = str::to_lower_ascii(bytes.substr(0, 4096));
  size_t pos = 0;
  while ((pos = head.find("<meta", pos)) != std::string::npos) {
    const size_t end = std::min(head.find('>', pos), head.size());
    const std::string_view tag = std::string_view(head).substr(pos, end - pos);
    pos = end;
    const size_t cs = tag.find("charset");
    if (cs == std::string_view::npos) continue;
    size_t i = cs + 7;
    while (i < tag.size() && (tag[i] == ' ' || tag[i] == '\t' || tag[i] == '\n' || tag[i] == '\r')) ++i;
    if (i >= tag.size() || tag[i] != '=') continue;
    ++i;
    while (i < tag.size() && (tag[i] == ' ' || tag[i] == '"' || tag[i] == '\'')) ++i;
    std::string value;
    while (i < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[i])) || tag[i] == '-' || tag[i] == '_' ||
                              tag[i] == ':' || tag[i] == '.')) {
      value += tag[i++];
    }
    if (!value.empty()) return value;
  }
  return "";
}

// The ICU converter for a declared legacy charset, or nullptr if we do not take it. As in the
// WHATWG Encoding Standard, Latin-1 and ASCII labels mean windows-1252 (a superset that gives
// 0x80-0x9F their printable meaning: curly quotes, dashes, the euro sign).
const char* legacy_converter(std::string_view label) {
  constexpr std::array<std::string_view, 18> kWindows1252 = {
      "iso-8859-1", "iso8859-1", "iso_8859-1", "iso_8859-1:1987", "latin1", "latin-1", "l1", "iso-ir-100",
      "cp819", "ibm819", "csisolatin1", "windows-1252", "cp1252", "x-cp1252", "us-ascii", "ascii",
      "ansi_x3.4-1968", "iso646-us"};
  constexpr std::array<std::string_view, 6> kLatin9 = {"iso-8859-15", "iso8859-15", "iso_8859-15", "latin9",
                                                      "latin-9", "l9"};
  for (std::string_view l : kWindows1252) {
    if (label == l) return "windows-1252";
  }
  for (std::string_view l : kLatin9) {
    if (label == l) return "iso-8859-15";
  }
  return nullptr;
}

Result<std::string> to_utf8(std::string_view bytes, const char* converter) {
  UErrorCode err = U_ZERO_ERROR;
  std::string out(bytes.size() * 3 + 4, '\0');  // a single-byte charset needs at most 3 UTF-8 bytes per byte
  const int32_t n = ucnv_convert("UTF-8", converter, out.data(), static_cast<int32_t>(out.size()), bytes.data(),
                                 static_cast<int32_t>(bytes.size()), &err);
  if (U_FAILURE(err)) return internal_error(fmt::format("{} to UTF-8 conversion failed: {}", converter, u_errorName(err)));
  out.resize(static_cast<size_t>(n));
  return out;
}

// Markdown inline text -> plain text: drops code-span backticks and escaping backslashes.
std::string plain(std::string_view md) {
  std::string out;
  for (size_t i = 0; i < md.size(); ++i) {
    const char c = md[i];
    if (c == '`') continue;
    if (c == '\\' && i + 1 < md.size() && std::ispunct(static_cast<unsigned char>(md[i + 1]))) continue;
    out += c;
  }
  return str::collapse_spaces(out);
}

// The <title>, shortened to its first part when that part is the page's <h1>
// ("bisect — Array bisection algorithm — Python 3.11.2 documentation" -> the h1); without a
// <title>, the first <h1>, else the first heading.
std::string choose_title(std::string_view head_title, const std::string& h1, const std::string& heading) {
  const std::string head = str::collapse_spaces(normalize_text(head_title));
  if (head.empty()) return plain(h1.empty() ? heading : h1);
  if (h1.empty()) return head;
  const std::string want = str::to_lower_ascii(plain(h1));
  if (str::to_lower_ascii(head) == want) return head;
  for (std::string_view sep : {" \xE2\x80\x94 ", " \xE2\x80\x93 ", " - ", " | ", " :: ", " \xC2\xB7 ", " : "}) {
    size_t pos = 0;
    while ((pos = head.find(sep, pos)) != std::string::npos) {
      std::string_view part = str::trim(std::string_view(head).substr(0, pos));
      if (str::to_lower_ascii(part) == want) return std::string(part);
      pos += sep.size();
    }
  }
  return head;
}

Result<model::Document> extract_html_unguarded(std::string_view bytes) {
  if (bytes.size() > kMaxHtmlBytes) {
    return invalid_argument(fmt::format("HTML too large ({} bytes; the limit is {} MiB)", bytes.size(), kMaxHtmlBytes >> 20));
  }
  model::Document doc;
  doc.format = model::Format::kHtml;
  doc.page_count = 0;

  if (str::starts_with(bytes, "\xEF\xBB\xBF")) bytes.remove_prefix(3);
  std::string converted;
  if (size_t bad = utf8::first_invalid(bytes); bad != std::string_view::npos) {
    const std::string charset = declared_charset(bytes);
    const char* converter = legacy_converter(charset);
    if (converter == nullptr) {
      return invalid_argument(fmt::format("not valid UTF-8 (bad byte at offset {}) and no legacy charset declared", bad));
    }
    auto utf8_text = to_utf8(bytes, converter);
    if (!utf8_text) return utf8_text.status();
    converted = std::move(*utf8_text);
    bytes = converted;
    doc.warnings.push_back(fmt::format("decoded as {} (declared charset \"{}\")", converter, charset));
  }

  const html::PreparedHtml prepared = html::prepare_html(bytes);
  if (prepared.changed) bytes = prepared.html;
  if (prepared.flattened > 0) {
    doc.warnings.push_back(
        fmt::format("{} elements nested deeper than {} levels were flattened", prepared.flattened, html::kMaxNesting));
  }

  html::ParsedHtml parsed(bytes);
  if (parsed.document() == nullptr) return internal_error("the HTML parser returned no document");
  html::ContentFilter filter(parsed.document());
  if (filter.main() == nullptr) return invalid_argument("no text (empty document)");

  html::HtmlRenderer renderer(filter);
  renderer.render(filter.main());
  std::string markdown = renderer.finish();
  std::string h1 = renderer.first_h1();
  std::string heading = renderer.first_heading();
  if (str::trim(markdown).empty() && filter.main() != filter.body() && filter.body() != nullptr) {
    // The "main" element was a shell (filled by script, say): fall back to the whole body.
    html::HtmlRenderer whole(filter);
    whole.render(filter.body());
    markdown = whole.finish();
    h1 = whole.first_h1();
    heading = whole.first_heading();
  }

  doc.markdown = normalize_text(markdown);
  if (str::trim(doc.markdown).empty()) return invalid_argument("no text (empty document)");
  if (doc.markdown.back() != '\n') doc.markdown += '\n';
  doc.title = choose_title(filter.head_title(), h1, heading);
  return doc;
}

}  // namespace

Result<model::Document> extract_html(std::string_view bytes) {
  // Nothing thrown below may cross the module edge (STYLE.md §2.8); std::bad_alloc on a
  // pathological page becomes that page's error.
  try {
    return extract_html_unguarded(bytes);
  } catch (const std::exception& e) {
    return internal_error(fmt::format("HTML extraction failed: {}", e.what()));
  } catch (...) {
    return internal_error("HTML extraction failed");
  }
}

}  // namespace mcdewey::extract
