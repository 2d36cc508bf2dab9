#include "server/routes.h"

#include <charconv>

#include <fmt/format.h>

#include "common/fs.h"
#include "common/strings.h"
#include "common/utf8.h"
#include "server/assets.h"
#include "server/http/json_mapping.h"
#include "server/http/openapi.h"
#include "server/render/markdown_html.h"

namespace mcdewey::server {

namespace {

HttpResponse error(const Status& s) { return HttpResponse::json(http_status(s.code()), error_body(s)); }
HttpResponse error(int status, const std::string& code, const std::string& message) {
  return HttpResponse::json(status, error_body(code, message));
}
HttpResponse ok(const json& j) {
  return HttpResponse::json(200, j.dump(-1, ' ', false, json::error_handler_t::replace));
}

// Parses an integer query parameter within [lo, hi]; `fallback` when absent.
Result<int> int_param(const HttpRequest& req, const std::string& name, int fallback, int lo, int hi) {
  if (!req.has_param(name) || req.param(name).empty()) return fallback;
  const std::string v = req.param(name);
  int n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n < lo || n > hi) {
    return invalid_argument(fmt::format("{} must be an integer from {} to {}", name, lo, hi));
  }
  return n;
}

std::string mime_for(const std::filesystem::path& p) {
  std::string ext = str::to_lower_ascii(p.extension().string());
  if (ext == ".pdf") return "application/pdf";
  if (ext == ".html" || ext == ".htm") return "text/plain; charset=utf-8";  // never rendered as a page
  if (ext == ".md" || ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

HttpResponse serve_asset(const RouteContext& ctx, const HttpRequest& req, const std::string& name) {
  if (!ctx.web_root.empty()) {
    auto path = ctx.web_root / name;
    if (!fs::is_inside(ctx.web_root, path)) return error(404, "not_found", "no such asset");
    auto data = fs::read_file(path, 16 << 20);
    if (!data) return error(404, "not_found", fmt::format("no asset {}", name));
    std::string ext = path.extension().string();
    std::string mime = ext == ".html" ? "text/html; charset=utf-8"
                       : ext == ".css" ? "text/css; charset=utf-8"
                       : ext == ".js"  ? "text/javascript; charset=utf-8"
                       : ext == ".svg" ? "image/svg+xml"
                                       : "application/octet-stream";
    auto r = HttpResponse::text(200, std::move(data.value()), mime);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  }
  for (const auto& a : embedded_assets()) {
    if (a.name != name) continue;
    if (req.header("if-none-match") == a.etag) {
      HttpResponse r;
      r.status = 304;
      return r;
    }
    auto r = HttpResponse::text(200, std::string(a.data, a.size), std::string(a.mime));
    r.headers.emplace_back("ETag", std::string(a.etag));
    r.headers.emplace_back("Cache-Control", "no-cache");
    return r;
  }
  return error(404, "not_found", fmt::format("no asset {}", name));
}

}  // namespace

void register_routes(RouteContext& ctx) {
  HttpServer& http = ctx.http;
  app::Library& lib = ctx.library;

  // ---- REST ----
  http.route("GET", "/api/search", "/api/search", [&lib](const HttpRequest& req) {
    model::SearchRequest r;
    r.query = req.param("q");
    if (str::trim(r.query).empty()) return error(400, "invalid_argument", "missing query parameter q");
    if (!utf8::is_valid(r.query)) return error(400, "invalid_argument", "q is not valid UTF-8");
    if (r.query.size() > 2000) return error(400, "invalid_argument", "q is longer than 2000 bytes");
    // A vendor's full name as /api/library lists it ("Git project (Software Freedom
    // Conservancy)") matches itself: the store treats "(", ")" and "," as blanks on both sides.
    r.filters.vendor = req.param("vendor");
    r.filters.product = req.param("product");
    r.filters.version = req.param("version");
    r.filters.doc = req.param("doc");
    auto limit = int_param(req, "limit", 10, 1, 100);
    if (!limit) return error(limit.status());
    auto offset = int_param(req, "offset", 0, 0, 10000);
    if (!offset) return error(offset.status());
    r.limit = *limit;
    r.offset = *offset;
    // The core decides what a mode means for this library (e.g. semantic without an
    // embedder); the response names the mode actually used.
    const std::string mode = req.param("mode");
    if (!mode.empty() && !model::parse_search_mode(mode, &r.mode)) {
      return error(400, "invalid_argument",
                   fmt::format("mode must be auto, hybrid, lexical or semantic (got '{}')", mode));
    }
    auto resp = lib.search(r);
    if (!resp) return error(resp.status());
    json results = json::array();
    for (const auto& h : resp->hits) results.push_back(hit_json(h));
    return ok({{"query", r.query},
               {"results", results},
               {"total", resp->total},
               {"total_is_lower_bound", resp->total_is_lower_bound},
               {"took_ms", resp->took_ms},
               {"mode_requested", model::search_mode_name(r.mode)},
               {"mode", model::search_mode_name(resp->mode)}});
  });

  http.route("GET", R"(/api/chunks/(.+))", "/api/chunks", [&lib](const HttpRequest& req) {
    auto v = lib.chunk(req.matches.at(1));
    if (!v) return error(v.status());
    return ok(chunk_view_json(*v));
  });

  http.route("GET", R"(/api/docs/([^/]+)/([^/]+)/([^/]+))", "/api/docs", [&lib](const HttpRequest& req) {
    auto v = lib.doc(req.matches.at(1), req.matches.at(2), req.matches.at(3));
    if (!v) return error(v.status());
    return ok(doc_view_json(*v));
  });

  http.route("GET", "/api/view", "/api/view", [&lib](const HttpRequest& req) {
    const std::string source = req.param("source");
    if (source.empty()) return error(400, "invalid_argument", "missing query parameter source");
    auto v = lib.file_view(source);
    if (!v) return error(v.status());
    std::vector<ChunkSpan> spans;
    json chunks = json::array();
    for (const auto& c : v->chunks) {
      spans.push_back({c.chunk_id, c.ordinal, c.byte_start, c.byte_end});
      chunks.push_back({{"chunk_id", c.chunk_id}, {"ordinal", c.ordinal}, {"page", c.page}, {"page_end", c.page_end}});
    }
    auto doc = lib.doc(v->row.key.product, v->row.key.version, v->row.key.doc);
    json outline = json::array();
    json doc_meta = json::object();
    if (doc) {
      json d = doc_view_json(*doc);
      for (auto& e : d["outline"]) {
        if (e["source"] == source) outline.push_back(e);
      }
      doc_meta = {{"vendor", d["vendor"]}, {"product_name", d["product_name"]}, {"title", d["title"]},
                  {"files", d["files"].size()}};
    }
    return ok({{"source", source},
               {"product", v->row.key.product},
               {"version", v->row.key.version},
               {"doc", v->row.key.doc},
               {"file", v->row.key.file},
               {"title", v->row.title},
               {"format", v->row.format},
               {"pages", v->row.pages},
               {"doc_meta", doc_meta},
               {"original_url", original_url(v->row.original)},
               {"html", render_document(v->markdown, spans)},
               {"chunks", chunks},
               {"outline", outline}});
  });

  http.route("GET", "/api/library", "/api/library", [&lib](const HttpRequest&) {
    auto docs = lib.docs();
    if (!docs) return error(docs.status());
    return ok(library_json(*docs));
  });

  http.route("GET", "/api/openapi.json", "/api/openapi.json",
             [](const HttpRequest&) { return HttpResponse::json(200, openapi_json()); });

  // ---- originals (PDFs open at #page=N in the browser's viewer) ----
  http.route("GET", R"(/original/(.+))", "/original", [&lib](const HttpRequest& req) {
    const std::string rel = req.matches.at(1);
    // `rel` is the original's library-relative path; find its document by the canonical
    // source beside it, so only files the library knows are ever served.
    size_t dot = rel.find_last_of('.');
    size_t slash = rel.find_last_of('/');
    if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
      return error(404, "not_found", "no such original");
    }
    std::string stem = rel.substr(0, dot);
    if (str::ends_with(stem, ".source")) stem = stem.substr(0, stem.size() - 7);
    auto path = lib.original_path(stem + ".md");
    if (!path) return error(404, "not_found", "no such original");
    if ((lib.library_root() / rel).lexically_normal() != path->lexically_normal()) {
      return error(404, "not_found", "no such original");
    }
    auto data = fs::read_file(*path);
    if (!data) return error(404, "not_found", "original file is missing");
    auto r = HttpResponse::text(200, std::move(data.value()), mime_for(*path));
    r.headers.emplace_back("Content-Disposition", "inline");
    return r;
  });

  // ---- health and metrics ----
  http.route("GET", "/healthz", "/healthz", [&lib](const HttpRequest&) {
    auto s = lib.stats();
    if (!s) return error(s.status());
    return ok({{"status", "ok"}, {"docs", s->counts.docs}, {"chunks", s->counts.chunks}});
  });
  http.route("GET", "/metrics", "/metrics", [&lib, &http](const HttpRequest&) {
    std::string extra;
    if (auto s = lib.stats()) {
      extra += "# HELP mcdewey_library_chunks Chunks in the library.\n# TYPE mcdewey_library_chunks gauge\n";
      extra += fmt::format("mcdewey_library_chunks {}\n", s->counts.chunks);
      extra += "# HELP mcdewey_library_docs Docs in the library.\n# TYPE mcdewey_library_docs gauge\n";
      extra += fmt::format("mcdewey_library_docs {}\n", s->counts.docs);
      extra += "# HELP mcdewey_library_pages PDF pages in the library.\n# TYPE mcdewey_library_pages gauge\n";
      extra += fmt::format("mcdewey_library_pages {}\n", s->counts.pages);
      extra += "# HELP mcdewey_library_db_bytes Size of the database.\n# TYPE mcdewey_library_db_bytes gauge\n";
      extra += fmt::format("mcdewey_library_db_bytes {}\n", s->db_bytes);
    }
    return HttpResponse::text(200, http.metrics().prometheus(extra), "text/plain; version=0.0.4; charset=utf-8");
  });

  // ---- the web UI: pages are the single index.html; assets by name ----
  http.route("GET", R"(/assets/([A-Za-z0-9._/-]+))", "/assets",
             [&ctx](const HttpRequest& req) { return serve_asset(ctx, req, req.matches.at(1)); });
  http.route("GET", R"(/(|library|view/.*|docs/.*))", "/page",
             [&ctx](const HttpRequest& req) { return serve_asset(ctx, req, "index.html"); });
  http.route("GET", "/favicon.ico", "/favicon.ico", [](const HttpRequest&) {
    HttpResponse r;
    r.status = 204;
    return r;
  });
}

}  // namespace mcdewey::server
