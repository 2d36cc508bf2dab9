// Canonical Markdown -> sanitised HTML for "View in doc context".
//
// Rendering is md4c (GitHub dialect) with raw HTML disabled: any HTML in a document is shown
// as text, never run. Link and image URLs are filtered to http(s), mailto, fragment and
// relative URLs; anything else (javascript:, data:, vbscript:) becomes "#".
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mcdewey::server {

// Markdown -> safe HTML fragment.
std::string render_markdown(std::string_view markdown);

struct ChunkSpan {
  std::string chunk_id;
  int ordinal = 0;
  size_t start = 0, end = 0;  // byte span in the canonical copy
};

// The whole document: each chunk in <section class="chunk" id="chunk-N" data-chunk-id=…>,
// page markers as <div class="page-sep" id="page-N" data-page="N">page N</div>.
std::string render_document(std::string_view markdown, const std::vector<ChunkSpan>& chunks);

// Escapes text for HTML element content and attribute values.
std::string html_escape(std::string_view s);

}  // namespace mcdewey::server
