#include "extract/extract.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/strings.h"
#include "common/utf8.h"

namespace mcdewey::extract {

namespace {

std::string extension_of(std::string_view filename) {
  size_t slash = filename.find_last_of('/');
  std::string_view base = slash == std::string_view::npos ? filename : filename.substr(slash + 1);
  size_t dot = base.find_last_of('.');
  if (dot == std::string_view::npos || dot == 0) return "";
  return str::to_lower_ascii(base.substr(dot + 1));
}

// Known binary signatures, so the reason names what the file is.
const char* binary_kind(std::string_view b) {
  auto has = [&](std::string_view magic) { return b.substr(0, magic.size()) == magic; };
  if (has("\x89PNG")) return "a PNG image";
  if (has("GIF8")) return "a GIF image";
  if (has("\xFF\xD8\xFF")) return "a JPEG image";
  if (has("PK\x03\x04")) return "a ZIP archive (or an Office document)";
  if (has("\x1F\x8B")) return "a gzip archive";
  if (has("BZh")) return "a bzip2 archive";
  if (has("\xFD" "7zXZ")) return "an xz archive";
  if (has("\x7F" "ELF")) return "an executable";
  if (has("\xD0\xCF\x11\xE0")) return "an old Office document";
  if (has("<?xml") && b.find("<svg") != std::string_view::npos) return "an SVG image";
  return nullptr;
}

bool looks_like_html(std::string_view b, const std::string& ext) {
  std::string head = str::to_lower_ascii(b.substr(0, 4096));
  std::string_view h = str::trim(head);
  if (str::starts_with(h, "\xEF\xBB\xBF")) h.remove_prefix(3);
  if (str::starts_with(h, "<!doctype html") || str::starts_with(h, "<html")) return true;
  // Text and Markdown files often quote HTML; only a file that starts as markup is HTML.
  if (ext == "txt" || ext == "md" || ext == "markdown" || ext == "rst" || !str::starts_with(h, "<")) return false;
  return head.find("<html") != std::string::npos || head.find("<head>") != std::string::npos ||
         head.find("<body") != std::string::npos;
}

}  // namespace

Result<model::Format> sniff(std::string_view bytes, std::string_view filename) {
  const std::string ext = extension_of(filename);
  if (bytes.empty()) return invalid_argument("empty file");
  if (bytes.substr(0, 1024).find("%PDF-") != std::string_view::npos) return model::Format::kPdf;
  const char* kind = binary_kind(bytes);
  // A file that claims to be a PDF and is not is a broken document (it fails); any other
  // binary is simply not a document (it is skipped).
  if (ext == "pdf") {
    return corrupt(fmt::format("named .pdf but is not a PDF ({})", kind ? kind : "no %PDF- header"));
  }
  if (kind) return unsupported(fmt::format("not a document: {}", kind));
  if (bytes.substr(0, 8192).find('\0') != std::string_view::npos) {
    return unsupported("not a document: binary content (NUL bytes)");
  }
  if (ext == "html" || ext == "htm" || ext == "xhtml" || looks_like_html(bytes, ext)) return model::Format::kHtml;
  if (ext == "md" || ext == "markdown" || ext == "mdown" || ext == "mkd") return model::Format::kMarkdown;
  return model::Format::kText;
}

Result<model::Document> extract(std::string_view bytes, std::string_view filename) {
  auto format = sniff(bytes, filename);
  if (!format) return format.status();
  switch (*format) {
    case model::Format::kPdf: return extract_pdf(bytes);
    case model::Format::kHtml: return extract_html(bytes);
    case model::Format::kMarkdown: return extract_markdown(bytes);
    case model::Format::kText: return extract_text(bytes);
  }
  return internal_error("unknown format");
}

}  // namespace mcdewey::extract
