#include "server/http/json_mapping.h"

#include <map>

#include <fmt/format.h>

#include "common/utf8.h"
#include "server/render/markdown_html.h"

namespace mcdewey::server {

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk: return 200;
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kUnsupported: return 422;
    case ErrorCode::kCorrupt:
    case ErrorCode::kIo:
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

std::string error_body(const std::string& code, const std::string& message) {
  return json{{"error", {{"code", code}, {"message", message}}}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string error_body(const Status& s) {
  // Internal details stay in the log; the client gets the kind and a message.
  return error_body(std::string(error_code_name(s.code())), s.message());
}

std::string url_encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string view_url(const std::string& source, const std::string& chunk_id) {
  std::string url = "/view/" + url_encode(source);
  if (!chunk_id.empty()) url += "?chunk=" + url_encode(chunk_id);
  return url;
}

std::string original_url(const std::string& original_rel) { return "/original/" + url_encode(original_rel); }

std::string snippet_html(const model::Hit& h, size_t max_bytes) {
  const std::string& t = h.text;
  size_t start = 0;
  if (!h.highlights.empty() && h.highlights.front().first > max_bytes / 3) {
    start = h.highlights.front().first - max_bytes / 3;
    while (start > 0 && t[start] != ' ' && t[start] != '\n') --start;
  }
  size_t end = std::min(t.size(), start + max_bytes);
  end = start + utf8::truncate(std::string_view(t).substr(start), end - start).size();
  if (end < t.size()) {
    size_t sp = t.rfind(' ', end);
    if (sp != std::string::npos && sp > start) end = sp;
  }
  std::string out = start > 0 ? "… " : "";
  size_t pos = start;
  for (const auto& [a, b] : h.highlights) {
    if (b <= start || a >= end || a < pos) continue;
    out += html_escape(std::string_view(t).substr(pos, a - pos));
    out += "<mark>" + html_escape(std::string_view(t).substr(a, std::min(b, end) - a)) + "</mark>";
    pos = std::min(b, end);
  }
  out += html_escape(std::string_view(t).substr(pos, end - pos));
  if (end < t.size()) out += " …";
  return out;
}

json hit_json(const model::Hit& h) {
  return json{{"chunk_id", h.chunk_id},
              {"source", h.source},
              {"page", h.page},
              {"page_end", h.page_end},
              {"page_label", h.page_label},
              {"heading_path", h.heading_path},
              {"vendor", h.vendor},
              {"product", h.product},
              {"product_name", h.product_name.empty() ? h.product : h.product_name},
              {"version", h.version},
              {"doc", h.doc},
              {"title", h.title},
              {"score", h.score},
              {"text", h.text},
              {"also_in_versions", h.also_in_versions},
              {"snippet", snippet_html(h)},
              {"text_html", snippet_html(h, h.text.size() * 3 + 3)},
              {"view_url", view_url(h.source, h.chunk_id)}};
}

json chunk_view_json(const app::ChunkView& v) {
  json j = hit_json(v.hit);
  j.erase("snippet");
  j["prev_id"] = v.prev_id.empty() ? json() : json(v.prev_id);
  j["next_id"] = v.next_id.empty() ? json() : json(v.next_id);
  j["ordinal"] = v.hit.ordinal;
  return j;
}

json doc_view_json(const app::DocView& v) {
  json files = json::array();
  for (const auto& f : v.files) {
    files.push_back({{"file", f.row.key.file},
                     {"source", f.source},
                     {"title", f.row.title},
                     {"format", f.row.format},
                     {"pages", f.row.pages},
                     {"chunks", f.row.chunk_count},
                     {"view_url", view_url(f.source)},
                     {"original_url", original_url(f.row.original)}});
  }
  json outline = json::array();
  for (const auto& e : v.outline) {
    outline.push_back({{"level", e.level},
                       {"title", e.title},
                       {"page", e.page},
                       {"chunk_id", e.chunk_id},
                       {"source", e.source}});
  }
  return json{{"vendor", v.vendor},   {"product", v.product}, {"product_name", v.product_name.empty() ? v.product : v.product_name},
              {"version", v.version}, {"doc", v.doc},         {"title", v.title},
              {"pages", v.pages},     {"chunks", v.chunks},   {"files", files},
              {"outline", outline}};
}

json library_json(const std::vector<store::DocSummary>& docs) {
  // vendor -> product -> version -> docs, keeping the store's order.
  json vendors = json::array();
  std::map<std::string, size_t> vendor_at;
  int64_t total_chunks = 0, total_pages = 0;
  size_t total_docs = 0;
  for (const auto& d : docs) {
    const std::string vendor = d.vendor.empty() ? "Unknown vendor" : d.vendor;
    auto [vit, vnew] = vendor_at.emplace(vendor, vendors.size());
    if (vnew) vendors.push_back({{"name", vendor}, {"products", json::array()}, {"docs", 0}, {"chunks", 0}});
    json& vj = vendors[vit->second];
    json& products = vj["products"];
    if (products.empty() || products.back()["slug"] != d.product) {
      products.push_back({{"slug", d.product},
                          {"name", d.product_name.empty() ? d.product : d.product_name},
                          {"versions", json::array()},
                          {"docs", 0},
                          {"chunks", 0}});
    }
    json& pj = products.back();
    json& versions = pj["versions"];
    if (versions.empty() || versions.back()["version"] != d.version) {
      versions.push_back({{"version", d.version}, {"docs", json::array()}, {"chunks", 0}});
    }
    json& verj = versions.back();
    verj["docs"].push_back({{"doc", d.doc},
                            {"title", d.title},
                            {"files", d.files},
                            {"chunks", d.chunks},
                            {"pages", d.pages}});
    verj["chunks"] = verj["chunks"].get<int64_t>() + d.chunks;
    pj["docs"] = pj["docs"].get<int64_t>() + 1;
    pj["chunks"] = pj["chunks"].get<int64_t>() + d.chunks;
    vj["docs"] = vj["docs"].get<int64_t>() + 1;
    vj["chunks"] = vj["chunks"].get<int64_t>() + d.chunks;
    total_chunks += d.chunks;
    total_pages += d.pages;
    ++total_docs;
  }
  return json{{"vendors", vendors},
              {"totals", {{"vendors", vendors.size()}, {"docs", total_docs}, {"chunks", total_chunks}, {"pages", total_pages}}}};
}

}  // namespace mcdewey::server
