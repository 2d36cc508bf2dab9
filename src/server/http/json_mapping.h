// Core types <-> JSON, at the edge (STYLE.md §2.10). The core never sees nlohmann::json.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "app/library.h"
#include "common/status.h"
#include "model/search.h"

namespace mcdewey::server {

using json = nlohmann::json;

// ErrorCode -> HTTP status, in one place (STYLE.md §2.7).
int http_status(ErrorCode code);
// {"error": {"code": "...", "message": "..."}}
std::string error_body(const std::string& code, const std::string& message);
std::string error_body(const Status& s);

// HTML-safe snippet: a window of the passage around the first match, matches in <mark>.
std::string snippet_html(const model::Hit& hit, size_t max_bytes = 320);

json hit_json(const model::Hit& hit);
json chunk_view_json(const app::ChunkView& view);
json doc_view_json(const app::DocView& view);
json library_json(const std::vector<store::DocSummary>& docs);

// URL of the web view of a document file, scrolled to a chunk when given.
std::string view_url(const std::string& source, const std::string& chunk_id = "");
std::string original_url(const std::string& original_rel);
std::string url_encode(const std::string& s);

}  // namespace mcdewey::server
