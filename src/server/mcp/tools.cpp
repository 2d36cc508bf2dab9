#include "server/mcp/tools.h"

#include <algorithm>
#include <functional>
#include <map>
#include <vector>

#include <fmt/format.h>

#include "common/log.h"
#include "common/strings.h"
#include "common/utf8.h"
#include "model/chunk_id.h"
#include "server/mcp/scope.h"

namespace mcdewey::server::mcp {

namespace {

// ---------------------------------------------------------------------------------------
// Schemas. A result card (DESIGN.md "The result card") is the same object in every tool.
// Nullable fields are written {"anyOf": [{"type": T}, {"type": "null"}]} rather than
// {"type": [T, "null"]}: both are JSON Schema, but clients that map schemas onto a
// single-type dialect (Gemini's OpenAPI subset, say) reject the array form; the MCP
// Inspector's schema-portability check flags it.

const char* const kCardSchema = R"({
  "type": "object",
  "properties": {
    "chunk_id": {"type": "string", "description": "product::version::doc::file::ordinal; pass to get_chunk / get_context"},
    "source": {"type": "string", "description": "canonical Markdown file, product/version/doc/file.md: cite it"},
    "vendor": {"type": "string"},
    "product": {"type": "string"},
    "product_name": {"type": "string"},
    "version": {"type": "string"},
    "doc": {"type": "string"},
    "title": {"type": "string", "description": "document title"},
    "heading_path": {"type": "array", "items": {"type": "string"}},
    "page": {"anyOf": [{"type": "integer"}, {"type": "null"}], "description": "physical PDF page (1-based); null for documents without pages: cite it"},
    "page_end": {"anyOf": [{"type": "integer"}, {"type": "null"}], "description": "last page of the passage"},
    "page_label": {"anyOf": [{"type": "string"}, {"type": "null"}], "description": "printed page label when it differs from the physical page"},
    "also_in_versions": {"type": "array", "items": {"type": "string"}, "description": "other versions of the product holding the identical passage, newest first"},
    "text": {"type": "string"}
  },
  "required": ["chunk_id", "source", "product", "version", "doc", "title", "heading_path", "page", "text"]
})";

json nullable(const char* type, const char* description) {
  return {{"anyOf", json::array({{{"type", type}}, {{"type", "null"}}})}, {"description", description}};
}

json card_schema(bool with_score, bool with_nav) {
  json s = json::parse(kCardSchema);
  if (with_score) s["properties"]["score"] = {{"type", "number"}};
  if (with_nav) {
    s["properties"]["ordinal"] = {{"type", "integer"}, {"description", "position of the chunk in its file, from 0"}};
    s["properties"]["prev_id"] = nullable("string", "the chunk before, null at the start");
    s["properties"]["next_id"] = nullable("string", "the chunk after, null at the end");
  }
  return s;
}

json max_chars_schema() {
  return {{"type", "integer"},
          {"minimum", 500},
          {"maximum", 200000},
          {"description", "size budget for the answer in characters (default 20000); longer output is cut and says so"}};
}

json filter_schema(const char* what) { return {{"type", "string"}, {"maxLength", 200}, {"description", what}}; }

json object_schema(json properties, std::vector<std::string> required) {
  json s{{"type", "object"}, {"properties", std::move(properties)}, {"additionalProperties", false}};
  if (!required.empty()) s["required"] = required;
  return s;
}

json output_schema(json properties, std::vector<std::string> required) {
  json s{{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) s["required"] = required;
  return s;
}

// ---------------------------------------------------------------------------------------
// Results.

json text_content(const std::string& text) { return json::array({{{"type", "text"}, {"text", text}}}); }

json tool_ok(const std::string& text, json structured) {
  return {{"content", text_content(text)}, {"structuredContent", std::move(structured)}, {"isError", false}};
}

json tool_error(const std::string& message) { return {{"content", text_content(message)}, {"isError", true}}; }

// A text budget: pieces are added while they fit; the one that does not is cut at a UTF-8
// boundary, and everything after is dropped.
class Budget {
 public:
  explicit Budget(size_t max) : max_(max) {}
  size_t left() const { return used_ >= max_ ? 0 : max_ - used_; }
  bool cut() const { return cut_; }
  // Appends `s` whole when it fits; else as much as fits (false when cut).
  bool add(std::string& out, std::string_view s) {
    if (s.size() <= left()) {
      out += s;
      used_ += s.size();
      return true;
    }
    std::string_view part = utf8::truncate(s, left());
    out += part;
    used_ = max_;
    cut_ = true;
    return false;
  }
  void mark_cut() { cut_ = true; }

 private:
  size_t max_;
  size_t used_ = 0;
  bool cut_ = false;
};

std::string cut_notice(size_t max_chars, const std::string& what) {
  return fmt::format("\n\n[Output cut at max_chars={}: {}. Ask again with a larger max_chars, a smaller limit, or "
                     "narrower filters.]",
                     max_chars, what);
}

json nullable_page(int page) { return page > 0 ? json(page) : json(nullptr); }

json card_json(const model::Hit& h, const std::string& text, bool with_score) {
  json j{{"chunk_id", h.chunk_id},
         {"source", h.source},
         {"vendor", h.vendor},
         {"product", h.product},
         {"product_name", h.product_name.empty() ? h.product : h.product_name},
         {"version", h.version},
         {"doc", h.doc},
         {"title", h.title},
         {"heading_path", h.heading_path},
         {"page", nullable_page(h.page)},
         {"page_end", nullable_page(h.page_end)},
         {"page_label", h.page_label.empty() ? json(nullptr) : json(h.page_label)},
         {"text", text}};
  if (!h.also_in_versions.empty()) j["also_in_versions"] = h.also_in_versions;
  if (with_score) j["score"] = h.score;
  return j;
}

json nav_json(const app::ChunkView& v, const std::string& text) {
  json j = card_json(v.hit, text, false);
  j["ordinal"] = v.hit.ordinal;
  j["prev_id"] = v.prev_id.empty() ? json(nullptr) : json(v.prev_id);
  j["next_id"] = v.next_id.empty() ? json(nullptr) : json(v.next_id);
  return j;
}

std::string page_line(const model::Hit& h) {
  if (h.page <= 0) return "page: none (not a paged document)";
  std::string s = h.page_end > h.page ? fmt::format("page: {}-{}", h.page, h.page_end) : fmt::format("page: {}", h.page);
  if (!h.page_label.empty() && h.page_label != std::to_string(h.page)) s += fmt::format(" (printed \"{}\")", h.page_label);
  return s;
}

// The citation block of one passage, before its text.
std::string card_header(const model::Hit& h, const std::string& lead) {
  std::string name = h.product_name.empty() ? h.product : h.product_name;
  std::string out = fmt::format("{}{} {} / {} — \"{}\"\n", lead, name, h.version, h.doc, h.title);
  out += page_line(h) + "\n";
  out += "chunk_id: " + h.chunk_id + "\n";
  out += "source: " + h.source + "\n";
  if (!h.heading_path.empty()) out += "heading: " + str::join(h.heading_path, " > ") + "\n";
  if (!h.also_in_versions.empty()) out += "also in versions: " + str::join(h.also_in_versions, ", ") + "\n";
  return out;
}

// ---------------------------------------------------------------------------------------
// Argument access (after schema_problem() said the arguments are well-typed).

std::string str_arg(const json& args, const char* name) {
  auto it = args.find(name);
  return it != args.end() && it->is_string() ? std::string(str::trim(it->get<std::string>())) : std::string();
}

int int_arg(const json& args, const char* name, int fallback) {
  auto it = args.find(name);
  if (it == args.end() || !it->is_number()) return fallback;
  return static_cast<int>(it->get<double>());
}

size_t max_chars_arg(const json& args, const ToolOptions& o) {
  return static_cast<size_t>(int_arg(args, "max_chars", static_cast<int>(o.default_max_chars)));
}

// Turns a failed core call into a tool error that helps the agent recover.
json status_error(const Status& s, const std::string& hint = "") {
  std::string msg = s.message();
  if (!hint.empty()) msg += " " + hint;
  if (s.code() == ErrorCode::kInternal || s.code() == ErrorCode::kIo || s.code() == ErrorCode::kCorrupt) {
    log::error("mcp tool failed: {}", s.to_string());
  }
  return tool_error(msg);
}

const char* const kChunkIdHint =
    "Chunk ids look like product::version::doc::file::N and come from search_docs, get_outline or get_context.";

// ---------------------------------------------------------------------------------------
// The tools.

json search_docs(app::Library& lib, const ToolOptions& o, const json& args) {
  model::SearchRequest r;
  r.query = str_arg(args, "query");
  if (r.query.empty()) return tool_error("query is empty: say what to look for, in plain words.");
  r.filters.vendor = str_arg(args, "vendor");
  r.filters.product = str_arg(args, "product");
  r.filters.version = str_arg(args, "version");
  r.filters.doc = str_arg(args, "doc");
  r.limit = int_arg(args, "limit", 8);
  const std::string mode = str_arg(args, "mode");
  if (!mode.empty() && !model::parse_search_mode(mode, &r.mode)) {
    return tool_error(fmt::format("mode '{}' is unknown: use auto, hybrid, lexical or semantic.", mode));
  }
  // Filters are checked against what the library holds, so a typo names the closest values
  // instead of finding nothing. Unfiltered calls skip that look-up (~1.5 ms on a 600-doc
  // library, measured with bench/mcp_load.py) unless nothing is found.
  const bool filtered = !r.filters.vendor.empty() || !r.filters.product.empty() || !r.filters.version.empty() ||
                        !r.filters.doc.empty();
  auto check_scope = [&]() -> std::optional<json> {
    auto scope = Scope::load(lib);
    if (!scope) return status_error(scope.status());
    if (auto p = scope->problem(r.filters.vendor, r.filters.product, r.filters.version, r.filters.doc)) {
      return tool_error(*p);
    }
    return std::nullopt;
  };
  if (filtered) {
    if (auto e = check_scope()) return *e;
  }
  auto resp = lib.search(r);
  if (!filtered && (!resp || resp->hits.empty())) {
    if (auto e = check_scope()) return *e;  // e.g. the library is empty
  }
  if (!resp) return status_error(resp.status());

  const size_t max_chars = max_chars_arg(args, o);
  Budget budget(max_chars);
  std::string text;
  json results = json::array();
  size_t shown = 0;
  if (resp->hits.empty()) {
    text = fmt::format("No results for \"{}\".", r.query);
    if (!r.filters.product.empty() || !r.filters.version.empty() || !r.filters.doc.empty() || !r.filters.vendor.empty()) {
      text += " Try without some filters,";
    } else {
      text += " Try";
    }
    text += " other words (the vendor's own terms), or list_library to see what the library holds.";
  } else {
    // Lexical totals count passages that match the words; hybrid and semantic ones count the
    // nearest passages ranked, which is no statement that they match.
    const char* counted = resp->mode == model::SearchMode::kLexical ? "matching" : "ranked";
    budget.add(text, fmt::format("{} result{} for \"{}\" ({} {} passage{}{}; mode {}):\n", resp->hits.size(),
                                 resp->hits.size() == 1 ? "" : "s", r.query, resp->total, counted,
                                 resp->total == 1 ? "" : "s", resp->total_is_lower_bound ? " or more" : "",
                                 model::search_mode_name(resp->mode)));
    for (const auto& h : resp->hits) {
      if (budget.left() == 0) {
        budget.mark_cut();
        break;
      }
      std::string block = "\n" + card_header(h, fmt::format("[{}] ", shown + 1)) + "\n";
      if (!budget.add(text, block)) break;
      const size_t before = h.text.size();
      std::string passage;
      budget.add(passage, h.text);
      text += passage;
      text += "\n";
      results.push_back(card_json(h, passage, true));
      ++shown;
      if (passage.size() < before) break;
    }
    if (budget.cut()) {
      size_t omitted = resp->hits.size() - shown;
      text += cut_notice(max_chars, omitted > 0 ? fmt::format("{} more result(s) omitted, the last passage may be cut", omitted)
                                                : "the last passage is cut");
    } else {
      text += "\nCite each fact with its source and page. Read around a passage with get_context(chunk_id).";
    }
  }
  return tool_ok(text, {{"query", r.query},
                        {"mode", model::search_mode_name(resp->mode)},
                        {"total", resp->total},
                        {"total_is_lower_bound", resp->total_is_lower_bound},
                        {"returned", shown},
                        {"truncated", budget.cut()},
                        {"results", results}});
}

json get_chunk(app::Library& lib, const ToolOptions& o, const json& args) {
  const std::string id = str_arg(args, "chunk_id");
  auto v = lib.chunk(id);
  if (!v) return status_error(v.status(), kChunkIdHint);
  const size_t max_chars = max_chars_arg(args, o);
  Budget budget(max_chars);
  std::string text = card_header(v->hit, "");
  text += fmt::format("previous: {}\nnext: {}\n\n", v->prev_id.empty() ? "none (start of file)" : v->prev_id,
                      v->next_id.empty() ? "none (end of file)" : v->next_id);
  std::string passage;
  budget.add(passage, v->hit.text);
  text += passage;
  if (budget.cut()) text += cut_notice(max_chars, "the passage is cut");
  json j = nav_json(*v, passage);
  j["truncated"] = budget.cut();
  return tool_ok(text, j);
}

json get_context(app::Library& lib, const ToolOptions& o, const json& args) {
  const std::string id = str_arg(args, "chunk_id");
  const int before = int_arg(args, "before", 2), after = int_arg(args, "after", 2);
  auto target = lib.chunk(id);
  if (!target) return status_error(target.status(), kChunkIdHint);
  // Walk the prev/next links of the facade: at most before + after extra look-ups.
  std::vector<app::ChunkView> chunks;
  std::string prev = target->prev_id;
  for (int i = 0; i < before && !prev.empty(); ++i) {
    auto c = lib.chunk(prev);
    if (!c) break;
    prev = c->prev_id;
    chunks.insert(chunks.begin(), std::move(c.value()));
  }
  const size_t target_at = chunks.size();
  chunks.push_back(*target);
  std::string next = target->next_id;
  for (int i = 0; i < after && !next.empty(); ++i) {
    auto c = lib.chunk(next);
    if (!c) break;
    next = c->next_id;
    chunks.push_back(std::move(c.value()));
  }

  const size_t max_chars = max_chars_arg(args, o);
  const model::Hit& t = target->hit;
  std::string text = fmt::format("Context of {} in {} (chunks {}-{} of this file, in reading order; the asked-for "
                                 "chunk is marked >>>):\n",
                                 t.chunk_id, t.source, chunks.front().hit.ordinal, chunks.back().hit.ordinal);
  json out = json::array();
  // The target's text is budgeted first, so a tight budget still shows it whole if it can.
  Budget target_budget(max_chars);
  std::string target_text;
  target_budget.add(target_text, t.text);
  size_t reserved = target_text.size();
  Budget rest(max_chars > reserved ? max_chars - reserved : 0);
  bool cut = target_budget.cut();
  for (size_t i = 0; i < chunks.size(); ++i) {
    const auto& c = chunks[i];
    const bool is_target = i == target_at;
    std::string passage;
    if (is_target) {
      passage = target_text;
    } else {
      rest.add(passage, c.hit.text);
      if (rest.cut()) cut = true;
      if (passage.empty() && !c.hit.text.empty()) continue;
    }
    text += "\n" + std::string(is_target ? ">>> " : "--- ") + fmt::format("chunk {} · {}", c.hit.ordinal, page_line(c.hit));
    if (!c.hit.heading_path.empty()) text += " · " + str::join(c.hit.heading_path, " > ");
    text += "\nchunk_id: " + c.hit.chunk_id + "\n\n" + passage + "\n";
    json j = nav_json(c, passage);
    j["is_target"] = is_target;
    out.push_back(std::move(j));
  }
  text += fmt::format("\nCite: source {}, {}.", t.source, page_line(t));
  if (!chunks.front().prev_id.empty()) text += " Earlier text: get_context(" + chunks.front().prev_id + ").";
  if (!chunks.back().next_id.empty()) text += " Later text: get_context(" + chunks.back().next_id + ").";
  if (cut) text += cut_notice(max_chars, "neighbouring passages are cut or left out");
  return tool_ok(text, {{"chunk_id", t.chunk_id},
                        {"source", t.source},
                        {"truncated", cut},
                        {"chunks", out}});
}

json read_page(app::Library& lib, const ToolOptions& o, const json& args) {
  const std::string product = str_arg(args, "product"), version = str_arg(args, "version"), doc = str_arg(args, "doc");
  const int page = int_arg(args, "page", 0);
  auto scope = Scope::load(lib);
  if (!scope) return status_error(scope.status());
  if (auto p = scope->problem("", product, version, doc)) return tool_error(*p);
  auto d = lib.doc(product, version, doc);
  if (!d) return status_error(d.status());
  auto body = lib.read_page(product, version, doc, page);
  if (!body) return status_error(body.status());
  std::string source;
  for (const auto& f : d->files) {
    if (f.row.pages >= page) {
      source = f.source;
      break;
    }
  }
  const size_t max_chars = max_chars_arg(args, o);
  Budget budget(max_chars);
  std::string passage;
  budget.add(passage, *body);
  std::string name = d->product_name.empty() ? product : d->product_name;
  std::string text = fmt::format("{} {} / {} — \"{}\"\npage: {} of {}\nsource: {}\n\n", name, version, doc, d->title,
                                 page, d->pages, source);
  text += passage.empty() ? "(this page has no text)" : passage;
  if (budget.cut()) text += cut_notice(max_chars, "the page text is cut");
  return tool_ok(text, {{"product", product},
                        {"version", version},
                        {"doc", doc},
                        {"title", d->title},
                        {"page", page},
                        {"pages", d->pages},
                        {"source", source},
                        {"text", passage},
                        {"truncated", budget.cut()}});
}

json list_library(app::Library& lib, const ToolOptions& o, const json& args) {
  const std::string vendor = str_arg(args, "vendor"), product = str_arg(args, "product");
  auto scope = Scope::load(lib);
  if (!scope) return status_error(scope.status());
  if (!scope->docs().empty()) {
    if (auto p = scope->problem(vendor, product, "", "")) return tool_error(*p);
  }

  // vendor -> product -> version -> docs, in the store's order (vendor, product, version, doc).
  json vendors = json::array();
  int n_products = 0, n_versions = 0, n_docs = 0;
  int64_t n_chunks = 0, n_pages = 0;
  for (const auto& d : scope->docs()) {
    if (!vendor.empty() && !vendor_matches(d.vendor, vendor)) continue;
    if (!product.empty() && d.product != product) continue;
    const std::string vname = d.vendor.empty() ? "Unknown vendor" : d.vendor;
    if (vendors.empty() || vendors.back()["vendor"] != vname) vendors.push_back({{"vendor", vname}, {"products", json::array()}});
    json& products = vendors.back()["products"];
    if (products.empty() || products.back()["product"] != d.product) {
      products.push_back({{"product", d.product},
                          {"name", d.product_name.empty() ? d.product : d.product_name},
                          {"versions", json::array()}});
      ++n_products;
    }
    json& versions = products.back()["versions"];
    if (versions.empty() || versions.back()["version"] != d.version) {
      versions.push_back({{"version", d.version}, {"docs", json::array()}});
      ++n_versions;
    }
    versions.back()["docs"].push_back(
        {{"doc", d.doc}, {"title", d.title}, {"files", d.files}, {"chunks", d.chunks}, {"pages", d.pages}});
    ++n_docs;
    n_chunks += d.chunks;
    n_pages += d.pages;
  }
  const size_t max_chars = max_chars_arg(args, o);
  Budget budget(max_chars);
  std::string text;
  budget.add(text, fmt::format("The library holds {} doc{} of {} product{} ({} chunks, {} PDF pages):\n", n_docs,
                               n_docs == 1 ? "" : "s", n_products, n_products == 1 ? "" : "s", n_chunks, n_pages));
  for (const auto& v : vendors) {
    if (!budget.add(text, "\n" + v["vendor"].get<std::string>() + "\n")) break;
    for (const auto& p : v["products"]) {
      if (!budget.add(text, fmt::format("  product {} ({})\n", p["product"].get<std::string>(), p["name"].get<std::string>()))) break;
      for (const auto& ver : p["versions"]) {
        if (!budget.add(text, fmt::format("    version {}\n", ver["version"].get<std::string>()))) break;
        for (const auto& d : ver["docs"]) {
          int64_t pages = d["pages"].get<int64_t>();
          std::string line = fmt::format("      doc {}: \"{}\" ({} chunks{})\n", d["doc"].get<std::string>(),
                                         d["title"].get<std::string>(), d["chunks"].get<int64_t>(),
                                         pages > 0 ? fmt::format(", {} pages", pages) : "");
          if (!budget.add(text, line)) break;
        }
      }
    }
  }
  if (budget.cut()) {
    text += cut_notice(max_chars, "the listing is cut (the structured result is complete)");
  } else if (n_docs == 0) {
    text += "Nothing has been ingested yet (run `mcdewey ingest DIR`).";
  } else {
    text += "\nFilter search_docs with these product, version and doc slugs.";
  }
  return tool_ok(text, {{"vendors", vendors},
                        {"totals",
                         {{"vendors", vendors.size()},
                          {"products", n_products},
                          {"versions", n_versions},
                          {"docs", n_docs},
                          {"chunks", n_chunks},
                          {"pages", n_pages}}},
                        {"truncated", budget.cut()}});
}

json get_outline(app::Library& lib, const ToolOptions& o, const json& args) {
  const std::string product = str_arg(args, "product"), version = str_arg(args, "version"), doc = str_arg(args, "doc");
  auto scope = Scope::load(lib);
  if (!scope) return status_error(scope.status());
  if (auto p = scope->problem("", product, version, doc)) return tool_error(*p);
  auto d = lib.doc(product, version, doc);
  if (!d) return status_error(d.status());
  const size_t max_chars = max_chars_arg(args, o);
  Budget budget(max_chars);
  std::string name = d->product_name.empty() ? product : d->product_name;
  std::string text = fmt::format("Outline of {} {} / {} — \"{}\" ({} file{}, {} chunks{}):\n", name, version, doc,
                                 d->title, d->files.size(), d->files.size() == 1 ? "" : "s", d->chunks,
                                 d->pages > 0 ? fmt::format(", {} pages", d->pages) : "");
  json files = json::array();
  for (const auto& f : d->files) {
    files.push_back({{"source", f.source}, {"title", f.row.title}, {"pages", f.row.pages}, {"chunks", f.row.chunk_count}});
  }
  json outline = json::array();
  std::string current_source;
  for (const auto& e : d->outline) {
    std::string line;
    if (e.source != current_source && d->files.size() > 1) line += "\nsource: " + e.source + "\n";
    line += std::string(static_cast<size_t>(std::clamp(e.level - 1, 0, 8)) * 2, ' ') + "- " + e.title;
    if (e.page > 0) line += fmt::format(" (page {})", e.page);
    if (!e.chunk_id.empty()) line += " [" + e.chunk_id + "]";
    line += "\n";
    if (!budget.add(text, line)) break;
    current_source = e.source;
    outline.push_back({{"level", e.level},
                       {"title", e.title},
                       {"page", nullable_page(e.page)},
                       {"chunk_id", e.chunk_id},
                       {"source", e.source}});
  }
  if (d->outline.empty()) text += "(no headings)\n";
  if (d->files.size() == 1) text += "source: " + d->files.front().source + "\n";
  if (budget.cut()) {
    text += cut_notice(max_chars, fmt::format("{} more heading(s) omitted", d->outline.size() - outline.size()));
  } else {
    text += "Read a section with get_context(chunk_id).";
  }
  return tool_ok(text, {{"product", product},
                        {"version", version},
                        {"doc", doc},
                        {"title", d->title},
                        {"vendor", d->vendor},
                        {"product_name", name},
                        {"pages", d->pages},
                        {"chunks", d->chunks},
                        {"files", files},
                        {"outline", outline},
                        {"truncated", budget.cut()}});
}

// ---------------------------------------------------------------------------------------
// The table.

using ToolFn = std::function<json(app::Library&, const ToolOptions&, const json&)>;

struct Tool {
  json definition;  // name, title, description, inputSchema, outputSchema, annotations
  ToolFn run;
};

json annotations(const char* title) {
  return {{"title", title}, {"readOnlyHint", true}, {"destructiveHint", false}, {"idempotentHint", true},
          {"openWorldHint", false}};
}

Tool make_tool(const char* name, const char* title, const char* description, json input, json output, ToolFn fn) {
  return {json{{"name", name},
               {"title", title},
               {"description", description},
               {"inputSchema", std::move(input)},
               {"outputSchema", std::move(output)},
               {"annotations", annotations(title)}},
          std::move(fn)};
}

const std::vector<Tool>& tools() {
  static const std::vector<Tool> kTools = [] {
    std::vector<Tool> t;
    const json chunk_id = {{"type", "string"}, {"minLength", 1}, {"maxLength", 1000},
                           {"description", "a chunk id from search_docs, e.g. cucm::v15::security-guide::security-guide::70"}};
    const json slug_product = {{"type", "string"}, {"minLength", 1}, {"maxLength", 200}, {"description", "product slug, e.g. icinga2"}};
    const json slug_version = {{"type", "string"}, {"minLength", 1}, {"maxLength", 200}, {"description", "version slug, e.g. 2.13.6"}};
    const json slug_doc = {{"type", "string"}, {"minLength", 1}, {"maxLength", 200}, {"description", "doc slug, e.g. manual"}};

    t.push_back(make_tool(
        "search_docs", "Search the documentation",
        "Search the vendor documentation library. Returns ranked passages, each with its citation: product, version, "
        "doc and title, page (the PDF's physical page), chunk_id, source file and heading path. Use the vendor's own "
        "terms; filter by product/version/doc when known (list_library shows the slugs). Then read around a hit with "
        "get_context and cite source and page.",
        object_schema({{"query", {{"type", "string"}, {"minLength", 1}, {"maxLength", 2000},
                                  {"description", "what to look for, in plain words or the vendor's terms; "
                                                  "phrases in \"quotes\""}}},
                       {"vendor", filter_schema("vendor name or a word of it, e.g. cisco")},
                       {"product", filter_schema("product slug, e.g. cucm")},
                       {"version", filter_schema("version slug, e.g. v15 (default: newest versions rank first)")},
                       {"doc", filter_schema("doc slug, e.g. security-guide")},
                       {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", 50}, {"description", "results (default 8)"}}},
                       {"mode", {{"type", "string"}, {"enum", {"auto", "hybrid", "lexical", "semantic"}},
                                 {"description", "matching: auto (default: hybrid when an embedder is configured), "
                                                 "hybrid, lexical (BM25) or semantic"}}},
                       {"max_chars", max_chars_schema()}},
                      {"query"}),
        output_schema({{"query", {{"type", "string"}}},
                       {"mode", {{"type", "string"}, {"enum", {"hybrid", "lexical", "semantic"}}, {"description", "the mode that ran (auto resolved)"}}},
                       {"total", {{"type", "integer"}, {"description", "lexical: passages matching the words; hybrid/semantic: passages ranked"}}},
                       {"total_is_lower_bound", {{"type", "boolean"}}},
                       {"returned", {{"type", "integer"}}},
                       {"truncated", {{"type", "boolean"}}},
                       {"results", {{"type", "array"}, {"items", card_schema(true, false)}}}},
                      {"query", "mode", "total", "returned", "truncated", "results"}),
        search_docs));

    t.push_back(make_tool(
        "get_chunk", "Get one passage",
        "Get one passage (chunk) by its chunk_id: its text, citation (source, page, heading path) and the ids of the "
        "passages before and after it.",
        object_schema({{"chunk_id", chunk_id}, {"max_chars", max_chars_schema()}}, {"chunk_id"}),
        [] {
          json s = card_schema(false, true);
          s["properties"]["truncated"] = {{"type", "boolean"}};
          return s;
        }(),
        get_chunk));

    t.push_back(make_tool(
        "get_context", "Read a passage in context",
        "Read a passage with its neighbours in reading order (the \"View in doc context\" of the web UI): `before` "
        "passages before it and `after` passages after it, each with page and heading path.",
        object_schema({{"chunk_id", chunk_id},
                       {"before", {{"type", "integer"}, {"minimum", 0}, {"maximum", 20}, {"description", "passages before (default 2)"}}},
                       {"after", {{"type", "integer"}, {"minimum", 0}, {"maximum", 20}, {"description", "passages after (default 2)"}}},
                       {"max_chars", max_chars_schema()}},
                      {"chunk_id"}),
        output_schema({{"chunk_id", {{"type", "string"}}},
                       {"source", {{"type", "string"}}},
                       {"truncated", {{"type", "boolean"}}},
                       {"chunks", {{"type", "array"}, {"items", [] {
                                                           json s = card_schema(false, true);
                                                           s["properties"]["is_target"] = {{"type", "boolean"}};
                                                           return s;
                                                         }()}}}},
                      {"chunk_id", "source", "truncated", "chunks"}),
        get_context));

    t.push_back(make_tool(
        "read_page", "Read a PDF page",
        "Read the whole text of one physical page of a PDF document (pages count from 1, as in search results).",
        object_schema({{"product", slug_product},
                       {"version", slug_version},
                       {"doc", slug_doc},
                       {"page", {{"type", "integer"}, {"minimum", 1}, {"maximum", 1000000}, {"description", "physical page, from 1"}}},
                       {"max_chars", max_chars_schema()}},
                      {"product", "version", "doc", "page"}),
        output_schema({{"product", {{"type", "string"}}},
                       {"version", {{"type", "string"}}},
                       {"doc", {{"type", "string"}}},
                       {"title", {{"type", "string"}}},
                       {"page", {{"type", "integer"}}},
                       {"pages", {{"type", "integer"}}},
                       {"source", {{"type", "string"}}},
                       {"text", {{"type", "string"}}},
                       {"truncated", {{"type", "boolean"}}}},
                      {"product", "version", "doc", "page", "pages", "source", "text", "truncated"}),
        read_page));

    const json doc_item = {{"type", "object"},
                           {"properties",
                            {{"doc", {{"type", "string"}}},
                             {"title", {{"type", "string"}}},
                             {"files", {{"type", "integer"}}},
                             {"chunks", {{"type", "integer"}}},
                             {"pages", {{"type", "integer"}}}}},
                           {"required", {"doc", "title", "chunks"}}};
    const json version_item = {{"type", "object"},
                               {"properties", {{"version", {{"type", "string"}}}, {"docs", {{"type", "array"}, {"items", doc_item}}}}},
                               {"required", {"version", "docs"}}};
    const json product_item = {{"type", "object"},
                               {"properties",
                                {{"product", {{"type", "string"}}},
                                 {"name", {{"type", "string"}}},
                                 {"versions", {{"type", "array"}, {"items", version_item}}}}},
                               {"required", {"product", "name", "versions"}}};
    const json vendor_item = {{"type", "object"},
                              {"properties", {{"vendor", {{"type", "string"}}}, {"products", {{"type", "array"}, {"items", product_item}}}}},
                              {"required", {"vendor", "products"}}};
    t.push_back(make_tool(
        "list_library", "List the library",
        "List what the library holds: vendors, their products, versions and docs, with chunk and page counts. "
        "Use the slugs as filters for search_docs.",
        object_schema({{"vendor", filter_schema("only this vendor (name or a word of it)")},
                       {"product", filter_schema("only this product slug")},
                       {"max_chars", max_chars_schema()}},
                      {}),
        output_schema({{"vendors", {{"type", "array"}, {"items", vendor_item}}},
                       {"totals", {{"type", "object"},
                                   {"properties",
                                    {{"vendors", {{"type", "integer"}}},
                                     {"products", {{"type", "integer"}}},
                                     {"versions", {{"type", "integer"}}},
                                     {"docs", {{"type", "integer"}}},
                                     {"chunks", {{"type", "integer"}}},
                                     {"pages", {{"type", "integer"}}}}}}},
                       {"truncated", {{"type", "boolean"}}}},
                      {"vendors", "totals", "truncated"}),
        list_library));

    t.push_back(make_tool(
        "get_outline", "Get a document's outline",
        "Get the heading tree of one doc, each heading with its page and the chunk_id of the passage that holds it "
        "(read it with get_context).",
        object_schema({{"product", slug_product}, {"version", slug_version}, {"doc", slug_doc}, {"max_chars", max_chars_schema()}},
                      {"product", "version", "doc"}),
        output_schema({{"product", {{"type", "string"}}},
                       {"version", {{"type", "string"}}},
                       {"doc", {{"type", "string"}}},
                       {"title", {{"type", "string"}}},
                       {"vendor", {{"type", "string"}}},
                       {"product_name", {{"type", "string"}}},
                       {"pages", {{"type", "integer"}}},
                       {"chunks", {{"type", "integer"}}},
                       {"files", {{"type", "array"},
                                  {"items", {{"type", "object"},
                                             {"properties",
                                              {{"source", {{"type", "string"}}},
                                               {"title", {{"type", "string"}}},
                                               {"pages", {{"type", "integer"}}},
                                               {"chunks", {{"type", "integer"}}}}}}}}},
                       {"outline", {{"type", "array"},
                                    {"items", {{"type", "object"},
                                               {"properties",
                                                {{"level", {{"type", "integer"}}},
                                                 {"title", {{"type", "string"}}},
                                                 {"page", nullable("integer", "physical PDF page of the heading, null without pages")},
                                                 {"chunk_id", {{"type", "string"}}},
                                                 {"source", {{"type", "string"}}}}},
                                               {"required", {"level", "title", "page", "chunk_id", "source"}}}}}},
                       {"truncated", {{"type", "boolean"}}}},
                      {"product", "version", "doc", "title", "outline", "truncated"}),
        get_outline));
    return t;
  }();
  return kTools;
}

bool is_integer(const json& v) {
  if (v.is_number_integer() || v.is_number_unsigned()) return true;
  if (v.is_number_float()) {
    double d = v.get<double>();
    return d == static_cast<double>(static_cast<long long>(d));
  }
  return false;
}

}  // namespace

std::optional<std::string> schema_problem(const json& schema, const json& args) {
  if (!args.is_object()) return std::string("arguments must be an object");
  const json& props = schema.at("properties");
  if (auto req = schema.find("required"); req != schema.end()) {
    for (const auto& r : *req) {
      if (!args.contains(r.get<std::string>())) return fmt::format("missing required argument '{}'", r.get<std::string>());
    }
  }
  for (const auto& [name, value] : args.items()) {
    auto p = props.find(name);
    if (p == props.end()) {
      std::vector<std::string> known;
      for (const auto& [k, _] : props.items()) known.push_back(k);
      return fmt::format("unknown argument '{}' (known: {})", name, str::join(known, ", "));
    }
    const std::string type = p->value("type", "");
    if (type == "string") {
      if (!value.is_string()) return fmt::format("argument '{}' must be a string", name);
      const std::string s = value.get<std::string>();
      if (!utf8::is_valid(s)) return fmt::format("argument '{}' is not valid UTF-8", name);
      if (p->contains("minLength") && s.size() < p->at("minLength").get<size_t>()) {
        return fmt::format("argument '{}' must not be empty", name);
      }
      if (p->contains("maxLength") && s.size() > p->at("maxLength").get<size_t>()) {
        return fmt::format("argument '{}' is longer than {} characters", name, p->at("maxLength").get<size_t>());
      }
      if (auto e = p->find("enum"); e != p->end()) {
        if (std::find(e->begin(), e->end(), value) == e->end()) {
          std::vector<std::string> allowed;
          for (const auto& a : *e) allowed.push_back(a.get<std::string>());
          return fmt::format("argument '{}' must be one of: {}", name, str::join(allowed, ", "));
        }
      }
    } else if (type == "integer") {
      if (!is_integer(value)) return fmt::format("argument '{}' must be an integer", name);
      const double d = value.get<double>();
      const double lo = p->value("minimum", -1e18), hi = p->value("maximum", 1e18);
      if (d < lo || d > hi) return fmt::format("argument '{}' must be from {} to {}", name, lo, hi);
    } else if (type == "boolean") {
      if (!value.is_boolean()) return fmt::format("argument '{}' must be true or false", name);
    }
  }
  return std::nullopt;
}

const json& tool_list() {
  static const json kList = [] {
    json a = json::array();
    for (const auto& t : tools()) a.push_back(t.definition);
    return a;
  }();
  return kList;
}

std::optional<json> call_tool(app::Library& library, const ToolOptions& options, const std::string& name,
                              const json& arguments) {
  for (const auto& t : tools()) {
    if (t.definition["name"] != name) continue;
    const json args = arguments.is_null() ? json::object() : arguments;
    if (auto p = schema_problem(t.definition["inputSchema"], args)) {
      return tool_error(fmt::format("Invalid arguments for {}: {}.", name, *p));
    }
    return t.run(library, options, args);
  }
  return std::nullopt;
}

}  // namespace mcdewey::server::mcp
