// The one MCP tool table (STYLE.md §2.9; DESIGN.md "MCP surface"): search_docs, get_chunk,
// get_context, read_page, list_library, get_outline. Every tool is read-only and answers
// with structuredContent (matching its outputSchema) plus the same content as text that
// an LLM reads well, each passage with its citation (source, page, chunk_id).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/library.h"

namespace mcdewey::server::mcp {

using json = nlohmann::json;

struct ToolOptions {
  // Size budget for one tool result's text (characters, i.e. bytes of UTF-8), so a result
  // fits an agent's context; a caller may ask for another with `max_chars`.
  size_t default_max_chars = 20000;
};

// The `tools` array of tools/list.
const json& tool_list();

// Runs tools/call. nullopt when no tool has that name (a JSON-RPC error for the caller);
// bad arguments and failed look-ups come back as a result with isError: true.
std::optional<json> call_tool(app::Library& library, const ToolOptions& options, const std::string& name,
                              const json& arguments);

// Checks `args` against the subset of JSON Schema our schemas use (object, properties,
// required, additionalProperties, string/integer/boolean, enum, length and range bounds).
// Returns a message for the first problem, nullopt when valid.
std::optional<std::string> schema_problem(const json& schema, const json& args);

}  // namespace mcdewey::server::mcp
