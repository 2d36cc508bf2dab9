#include "server/mcp/resources.h"

#include <charconv>

#include <fmt/format.h>

#include "common/strings.h"
#include "server/mcp/jsonrpc.h"

namespace mcdewey::server::mcp {

namespace {

constexpr std::string_view kDocPrefix = "mcdewey://doc/";
constexpr std::string_view kChunkPrefix = "mcdewey://chunk/";
constexpr std::string_view kCursorPrefix = "docs:";

std::string doc_uri(const store::DocSummary& d) {
  return fmt::format("{}{}/{}/{}", kDocPrefix, d.product, d.version, d.doc);
}

// Percent-decoding, for clients that escape "::" or spaces in URIs.
std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int v = 0;
      auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
      if (ec == std::errc() && p == s.data() + i + 3) {
        out += static_cast<char>(v);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

[[noreturn]] void not_found(const std::string& uri, const std::string& why) {
  throw RpcError(kResourceNotFound, fmt::format("Resource not found: {} ({})", uri, why), json{{"uri", uri}});
}

std::string page_text(int page, int page_end) {
  if (page <= 0) return "none";
  return page_end > page ? fmt::format("{}-{}", page, page_end) : std::to_string(page);
}

}  // namespace

json list_resources(app::Library& library, const json& params, int page_size) {
  size_t offset = 0;
  if (params.contains("cursor") && !params["cursor"].is_null()) {
    const json& c = params["cursor"];
    if (!c.is_string()) throw RpcError(kInvalidParams, "cursor must be a string from an earlier resources/list");
    const std::string cur = c.get<std::string>();
    if (!str::starts_with(cur, kCursorPrefix)) throw RpcError(kInvalidParams, "invalid cursor");
    const char* b = cur.data() + kCursorPrefix.size();
    const char* e = cur.data() + cur.size();
    auto [p, ec] = std::from_chars(b, e, offset);
    if (ec != std::errc() || p != e || b == e) throw RpcError(kInvalidParams, "invalid cursor");
  }
  auto docs = library.docs();
  if (!docs) throw RpcError(jsonrpc_code(docs.status().code()), docs.status().message());
  if (offset > docs->size()) throw RpcError(kInvalidParams, "invalid cursor (past the end of the list)");
  json resources = json::array();
  const size_t end = std::min(docs->size(), offset + static_cast<size_t>(page_size));
  for (size_t i = offset; i < end; ++i) {
    const auto& d = (*docs)[i];
    const std::string name = d.product_name.empty() ? d.product : d.product_name;
    std::string desc = fmt::format("{}{} {}, doc {}: {} file{}, {} chunks", d.vendor.empty() ? "" : d.vendor + " · ", name,
                                   d.version, d.doc, d.files, d.files == 1 ? "" : "s", d.chunks);
    desc += d.pages > 0 ? fmt::format(", {} PDF pages. Canonical Markdown; <!-- page N --> comments mark the pages.", d.pages)
                        : std::string(". Canonical Markdown.");
    resources.push_back({{"uri", doc_uri(d)},
                         {"name", fmt::format("{}/{}/{}", d.product, d.version, d.doc)},
                         {"title", fmt::format("{} {} — {}", name, d.version, d.title)},
                         {"description", desc},
                         {"mimeType", "text/markdown"}});
  }
  json out{{"resources", resources}};
  if (end < docs->size()) out["nextCursor"] = fmt::format("{}{}", kCursorPrefix, end);
  return out;
}

json read_resource(app::Library& library, const json& params) {
  if (!params.contains("uri") || !params["uri"].is_string()) throw RpcError(kInvalidParams, "missing string param uri");
  const std::string uri = params["uri"].get<std::string>();
  if (str::starts_with(uri, kChunkPrefix)) {
    const std::string id = percent_decode(std::string_view(uri).substr(kChunkPrefix.size()));
    auto v = library.chunk(id);
    if (!v) not_found(uri, v.status().message());
    const model::Hit& h = v->hit;
    std::string md = fmt::format("<!-- chunk_id: {} · source: {} · page: {} -->\n", h.chunk_id, h.source,
                                 page_text(h.page, h.page_end));
    if (!h.heading_path.empty()) md += "<!-- heading: " + str::join(h.heading_path, " > ") + " -->\n";
    md += "\n" + h.text + "\n";
    return {{"contents", json::array({{{"uri", uri}, {"mimeType", "text/markdown"}, {"text", md}}})}};
  }
  if (str::starts_with(uri, kDocPrefix)) {
    auto parts = str::split(percent_decode(std::string_view(uri).substr(kDocPrefix.size())), '/');
    if (parts.size() != 3) not_found(uri, "doc URIs are mcdewey://doc/{product}/{version}/{doc}");
    auto d = library.doc(parts[0], parts[1], parts[2]);
    if (!d) not_found(uri, d.status().message());
    std::string md;
    for (const auto& f : d->files) {
      auto v = library.file_view(f.source);
      if (!v) throw RpcError(kInternalError, v.status().message());
      if (d->files.size() > 1) md += fmt::format("<!-- source: {} -->\n\n", f.source);
      md += v->markdown;
      if (!md.empty() && md.back() != '\n') md += '\n';
      if (d->files.size() > 1) md += "\n";
    }
    return {{"contents", json::array({{{"uri", uri}, {"mimeType", "text/markdown"}, {"text", md}}})}};
  }
  not_found(uri, "McDewey serves mcdewey://doc/... and mcdewey://chunk/... URIs");
}

json resource_templates() {
  return {{"resourceTemplates",
           json::array({{{"uriTemplate", "mcdewey://chunk/{chunk_id}"},
                         {"name", "chunk"},
                         {"title", "One passage by chunk id"},
                         {"description", "One chunk (passage) with its citation, e.g. "
                                         "mcdewey://chunk/cucm::v15::security-guide::security-guide::70"},
                         {"mimeType", "text/markdown"}},
                        {{"uriTemplate", "mcdewey://doc/{product}/{version}/{doc}"},
                         {"name", "doc"},
                         {"title", "A whole document"},
                         {"description", "The canonical Markdown of one doc; <!-- page N --> comments mark PDF pages"},
                         {"mimeType", "text/markdown"}}})}};
}

}  // namespace mcdewey::server::mcp
