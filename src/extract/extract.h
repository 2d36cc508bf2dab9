// Extraction: one source file's bytes -> model::Document (canonical Markdown with page markers).
//
// Formats are sniffed from content first and the file name second: a PDF is "%PDF-" in
// the first KiB, HTML is a doctype or an <html>/<head>/<body> tag near the start, and
// valid UTF-8 text is Markdown when the name says so (.md/.markdown) or it has Markdown
// structure, else plain text. Anything else (images, archives, other binaries) is refused
// with kUnsupported and a one-line reason ("not a document: ..."); a file named .pdf that is
// not a PDF is kCorrupt.
#pragma once

#include <string_view>

#include "common/status.h"
#include "model/document.h"

namespace mcdewey::extract {

// Bumped whenever extraction or chunking output changes, so that `ingest` redoes files
// whose bytes are unchanged but whose canonical copy would now differ.
inline constexpr int kPipelineVersion = 1;

Result<model::Format> sniff(std::string_view bytes, std::string_view filename);

// Sniffs, then extracts. Errors carry a one-line reason ("encrypted PDF", "not UTF-8 at byte 17").
Result<model::Document> extract(std::string_view bytes, std::string_view filename);

Result<model::Document> extract_pdf(std::string_view bytes);
Result<model::Document> extract_html(std::string_view bytes);
Result<model::Document> extract_markdown(std::string_view bytes);
Result<model::Document> extract_text(std::string_view bytes);

}  // namespace mcdewey::extract
