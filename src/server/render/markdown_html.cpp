#include "server/render/markdown_html.h"

#include <algorithm>

#include <fmt/format.h>
#include <md4c-html.h>
#include <md4c.h>

#include "chunk/blocks.h"
#include "common/strings.h"

namespace mcdewey::server {

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

bool safe_url(std::string_view url) {
  std::string u = str::to_lower_ascii(str::trim(url));
  // Entities md4c may have produced for characters of the scheme: be strict, refuse them.
  if (u.find("&#") != std::string::npos) return false;
  size_t colon = u.find(':');
  size_t slash = u.find_first_of("/?#");
  if (colon == std::string::npos || (slash != std::string::npos && slash < colon)) return true;  // relative
  std::string_view scheme = std::string_view(u).substr(0, colon);
  return scheme == "http" || scheme == "https" || scheme == "mailto";
}

// Rewrites href="…"/src="…" values that are not safe to "#". md4c escapes quotes inside
// attribute values, so a value always ends at the next '"'.
std::string filter_urls(const std::string& html) {
  std::string out;
  out.reserve(html.size());
  size_t copied = 0;
  size_t pos = 0;
  while (true) {
    size_t href = html.find(" href=\"", pos);
    size_t src = html.find(" src=\"", pos);
    size_t at = std::min(href, src);
    if (at == std::string::npos) break;
    size_t start = at + (at == href ? 7 : 6);
    size_t end = html.find('"', start);
    if (end == std::string::npos) break;
    if (!safe_url(std::string_view(html).substr(start, end - start))) {
      out.append(html, copied, start - copied);
      out += '#';
      copied = end;
    }
    pos = end;
  }
  out.append(html, copied, std::string::npos);
  return out;
}

// The library keeps documents, not their images: an <img> would only fetch a page of the
// UI (and the CSP refuses other origins). Show the alt text in its place instead.
std::string replace_images(std::string html) {
  static constexpr std::string_view kImg = "<img src=\"";
  size_t pos = 0;
  while ((pos = html.find(kImg, pos)) != std::string::npos) {
    size_t end = html.find('>', pos);
    if (end == std::string::npos) break;
    std::string_view tag = std::string_view(html).substr(pos, end + 1 - pos);
    std::string alt;
    if (size_t a = tag.find(" alt=\""); a != std::string_view::npos) {
      size_t b = tag.find('"', a + 6);
      if (b != std::string_view::npos) alt = std::string(tag.substr(a + 6, b - a - 6));  // already escaped
    }
    std::string repl = "<span class=\"img-alt\" title=\"image not kept in the library\">[image";
    if (!alt.empty()) repl += ": " + alt;
    repl += "]</span>";
    html.replace(pos, end + 1 - pos, repl);
    pos += repl.size();
  }
  return html;
}

// Raw HTML is shown as text (MD_FLAG_NOHTML); empty anchors such as <a id="x"></a>, common in
// converted manuals, carry nothing for a reader, so they are dropped from the escaped output.
std::string drop_empty_anchors(std::string html) {
  for (std::string_view open : {std::string_view("&lt;a id=&quot;"), std::string_view("&lt;a name=&quot;")}) {
    static constexpr std::string_view kClose = "&quot;&gt;&lt;/a&gt;";
    size_t pos = 0;
    while ((pos = html.find(open, pos)) != std::string::npos) {
      size_t close = html.find(kClose, pos + open.size());
      if (close == std::string::npos || close - pos > 200 ||
          html.find("&lt;", pos + open.size()) < close || html.find('\n', pos) < close) {
        pos += open.size();
        continue;
      }
      size_t erase_from = pos;
      while (erase_from > 0 && html[erase_from - 1] == ' ') --erase_from;  // the space before it too
      html.erase(erase_from, close + kClose.size() - erase_from);
      pos = erase_from;
    }
  }
  return html;
}

void append_output(const MD_CHAR* text, MD_SIZE size, void* userdata) {
  static_cast<std::string*>(userdata)->append(text, size);
}

std::string page_separator(const chunk::PageMarker& m) {
  std::string label = m.label.empty() ? "" : fmt::format(" · printed {}", html_escape(m.label));
  return fmt::format("<div class=\"page-sep\" id=\"page-{0}\" data-page=\"{0}\"><span>page {0}{1}</span></div>\n",
                     m.page, label);
}

// Renders [start, end), turning page-marker lines into separators.
std::string render_span(std::string_view md, size_t start, size_t end) {
  std::string out;
  size_t piece = start;
  size_t pos = start;
  auto flush = [&](size_t upto) {
    if (upto > piece) {
      std::string_view text = md.substr(piece, upto - piece);
      if (!str::trim(text).empty()) out += render_markdown(text);
    }
  };
  while (pos < end) {
    size_t nl = md.find('\n', pos);
    size_t line_end = (nl == std::string_view::npos || nl > end) ? end : nl;
    chunk::PageMarker m;
    if (chunk::parse_page_marker(md.substr(pos, line_end - pos), &m)) {
      flush(pos);
      out += page_separator(m);
      piece = line_end + 1;
    }
    pos = line_end + 1;
  }
  flush(std::min(end, md.size()));
  return out;
}

}  // namespace

std::string render_markdown(std::string_view markdown) {
  std::string out;
  const unsigned parser_flags = MD_DIALECT_GITHUB | MD_FLAG_NOHTML;
  if (md_html(markdown.data(), static_cast<MD_SIZE>(markdown.size()), append_output, &out, parser_flags,
              MD_HTML_FLAG_SKIP_UTF8_BOM) != 0) {
    return "<pre>" + html_escape(markdown) + "</pre>";
  }
  return drop_empty_anchors(replace_images(filter_urls(out)));
}

std::string render_document(std::string_view md, const std::vector<ChunkSpan>& chunks_in) {
  std::vector<ChunkSpan> chunks = chunks_in;
  std::sort(chunks.begin(), chunks.end(), [](const ChunkSpan& a, const ChunkSpan& b) { return a.start < b.start; });
  std::string out;
  size_t pos = 0;
  for (const auto& c : chunks) {
    if (c.start < pos || c.end > md.size() || c.end < c.start) continue;  // stale span: skip, never crash
    out += render_span(md, pos, c.start);
    out += fmt::format("<section class=\"chunk\" id=\"chunk-{}\" data-chunk-id=\"{}\">\n", c.ordinal,
                       html_escape(c.chunk_id));
    out += render_span(md, c.start, c.end);
    out += "</section>\n";
    pos = c.end;
  }
  out += render_span(md, pos, md.size());
  return out;
}

}  // namespace mcdewey::server
