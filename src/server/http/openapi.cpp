#include "server/http/openapi.h"

#include <nlohmann/json.hpp>

namespace mcdewey::server {

namespace {

nlohmann::json param(const char* name, const char* in, const char* description, bool required = false,
                     const char* type = "string") {
  return {{"name", name}, {"in", in}, {"required", required}, {"description", description}, {"schema", {{"type", type}}}};
}

nlohmann::json ok(const char* description, const char* schema_ref) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", {{"$ref", std::string("#/components/schemas/") + schema_ref}}}}}}}};
}

nlohmann::json build() {
  using nlohmann::json;
  json error = {{"description", "Error"},
                {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
  json card = {
      {"type", "object"},
      {"properties",
       {{"chunk_id", {{"type", "string"}, {"example", "cucm::v15::security-guide::security-guide::70"}}},
        {"source", {{"type", "string"}, {"example", "cucm/v15/security-guide/security-guide.md"}}},
        {"page", {{"type", "integer"}, {"description", "physical PDF page, 1-based; 0 when the document has no pages"}}},
        {"page_end", {{"type", "integer"}}},
        {"page_label", {{"type", "string"}, {"description", "printed page label when it differs from the page number"}}},
        {"heading_path", {{"type", "array"}, {"items", {{"type", "string"}}}}},
        {"vendor", {{"type", "string"}}},
        {"product", {{"type", "string"}}},
        {"product_name", {{"type", "string"}}},
        {"version", {{"type", "string"}}},
        {"doc", {{"type", "string"}}},
        {"title", {{"type", "string"}}},
        {"score", {{"type", "number"}}},
        {"text", {{"type", "string"}}},
        {"also_in_versions",
         {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", "other versions holding the identical passage, newest first"}}},
        {"snippet", {{"type", "string"}, {"description", "HTML-escaped passage window with <mark> around matches"}}},
        {"text_html", {{"type", "string"}, {"description", "the whole passage, HTML-escaped, with <mark> around matches"}}},
        {"view_url", {{"type", "string"}}}}}};
  json spec = {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "McDewey REST API"},
        {"version", "1"},
        {"description", "Search a multi-vendor documentation library and cite page-exact passages."}}},
      {"paths",
       {{"/api/search",
         {{"get",
           {{"summary", "Search the library"},
            {"parameters",
             json::array({param("q", "query", "the query; supports \"phrases\" and vendor:/product:/version:/doc: filters", true),
                          param("vendor", "query", "vendor (whole words of the name, case-insensitive)"),
                          param("product", "query", "product slug"), param("version", "query", "version slug"),
                          param("doc", "query", "doc slug"),
                          param("limit", "query", "results, 1-100 (default 10)", false, "integer"),
                          param("offset", "query", "skip this many results (default 0)", false, "integer"),
                          param("mode", "query", "auto | hybrid | lexical | semantic (default auto)")})},
            {"responses", {{"200", ok("Ranked result cards", "SearchResponse")}, {"400", error}}}}}}},
        {"/api/chunks/{chunk_id}",
         {{"get",
           {{"summary", "One chunk with its neighbours' ids"},
            {"parameters", json::array({param("chunk_id", "path", "product::version::doc::file::N", true)})},
            {"responses", {{"200", ok("The chunk", "Chunk")}, {"400", error}, {"404", error}}}}}}},
        {"/api/docs/{product}/{version}/{doc}",
         {{"get",
           {{"summary", "A doc's files and outline (headings with pages)"},
            {"parameters", json::array({param("product", "path", "product slug", true),
                                        param("version", "path", "version slug", true),
                                        param("doc", "path", "doc slug", true)})},
            {"responses", {{"200", ok("The doc", "Doc")}, {"404", error}}}}}}},
        {"/api/view",
         {{"get",
           {{"summary", "A document file rendered as sanitised HTML with page separators and chunk sections"},
            {"parameters", json::array({param("source", "query", "product/version/doc/file.md", true)})},
            {"responses", {{"200", ok("Rendered document", "View")}, {"404", error}}}}}}},
        {"/api/library",
         {{"get",
           {{"summary", "Vendors -> products -> versions -> docs, with counts"},
            {"responses", {{"200", ok("The library tree", "Library")}}}}}}},
        {"/healthz", {{"get", {{"summary", "Liveness and library size"}, {"responses", {{"200", {{"description", "OK"}}}}}}}}},
        {"/metrics",
         {{"get", {{"summary", "Prometheus metrics"}, {"responses", {{"200", {{"description", "text/plain exposition"}}}}}}}}}}},
      {"components",
       {{"schemas",
         {{"Card", card},
          {"SearchResponse",
           {{"type", "object"},
            {"properties",
             {{"results", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/Card"}}}}},
              {"total", {{"type", "integer"}}},
              {"took_ms", {{"type", "number"}}},
              {"total_is_lower_bound", {{"type", "boolean"}}},
              {"mode_requested", {{"type", "string"}}},
              {"mode", {{"type", "string"}, {"description", "the mode actually used (semantic falls back to lexical without an embedder)"}}},
              {"query", {{"type", "string"}}}}}}},
          {"Chunk",
           {{"allOf", json::array({{{"$ref", "#/components/schemas/Card"}},
                                   {{"type", "object"},
                                    {"properties", {{"prev_id", {{"type", {"string", "null"}}}},
                                                    {"next_id", {{"type", {"string", "null"}}}}}}}})}}},
          {"Doc", {{"type", "object"}}},
          {"View", {{"type", "object"}}},
          {"Library", {{"type", "object"}}},
          {"Error",
           {{"type", "object"},
            {"properties",
             {{"error",
               {{"type", "object"},
                {"properties", {{"code", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}}}}}}}}}}};
  return spec;
}

}  // namespace

const std::string& openapi_json() {
  static const std::string kSpec = build().dump(2);
  return kSpec;
}

}  // namespace mcdewey::server
