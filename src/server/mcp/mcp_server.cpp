#include "server/mcp/mcp_server.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/log.h"
#include "server/mcp/jsonrpc.h"
#include "server/mcp/prompts.h"
#include "server/mcp/resources.h"
#include "server/mcp/rpc_error.h"
#include "server/mcp/tools.h"

#ifndef MCDEWEY_VERSION
#define MCDEWEY_VERSION "0"
#endif

namespace mcdewey::server::mcp {

namespace {

constexpr const char* kInstructions =
    "McDewey is a library of vendor documentation: manuals for many products and versions, each cut into passages "
    "that know their page. To answer from it:\n"
    "1. Search first: search_docs(query) with the user's question in the vendor's own terms; filter with product, "
    "version or doc when you know them (list_library shows what exists; without a version the newest ranks first).\n"
    "2. Read context: get_context(chunk_id) shows the passages around a hit (read_page gives a whole PDF page, "
    "get_outline a doc's headings).\n"
    "3. Cite: answer only from what you read, and cite each fact with its `source` and `page` (for example "
    "cucm/v15/security-guide/security-guide.md, page 80). Say so when the library does not cover the question.\n"
    "Results are cut to max_chars (default 20000) and say when they were; docs are also resources "
    "(mcdewey://doc/{product}/{version}/{doc}).";

constexpr size_t kMaxNestingDepth = 64;

const std::vector<std::string> kLogLevels = {"debug", "info", "notice", "warning", "error", "critical", "alert", "emergency"};

bool valid_id(const json& id) { return id.is_string() || id.is_number(); }

// Deepest nesting of arrays and objects in JSON text (strings skipped). nlohmann parses
// and destroys deep values without recursion, but copying one recurses: a 4 MB message of
// '[' could exhaust the stack once a handler copies its params. Real MCP messages are a
// few levels deep, so deeper ones are refused before anything touches them.
size_t nesting_depth(std::string_view text) {
  size_t depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

json params_of(const json& msg) {
  auto it = msg.find("params");
  if (it == msg.end() || it->is_null()) return json::object();
  if (!it->is_object()) throw RpcError(kInvalidParams, "params must be an object");
  return *it;
}

}  // namespace

const std::vector<std::string>& supported_protocol_versions() {
  static const std::vector<std::string> kVersions = {"2025-11-25", "2025-06-18", "2025-03-26"};
  return kVersions;
}

bool is_supported_protocol_version(std::string_view v) {
  const auto& all = supported_protocol_versions();
  return std::find(all.begin(), all.end(), v) != all.end();
}

McpServer::McpServer(app::Library& library, McpOptions options) : library_(library), options_(options) {}

namespace {

struct Dispatcher {
  app::Library& lib;
  const McpOptions& options;
  McpSession& session;

  json initialize(const json& p) {
    if (!p.contains("protocolVersion") || !p["protocolVersion"].is_string()) {
      throw RpcError(kInvalidParams, "initialize needs params.protocolVersion (a string)");
    }
    const std::string asked = p["protocolVersion"].get<std::string>();
    session.protocol_version = is_supported_protocol_version(asked) ? asked : supported_protocol_versions().front();
    session.initialized = true;
    if (p.contains("clientInfo") && p["clientInfo"].is_object()) session.client_name = p["clientInfo"].value("name", "");
    log::info("mcp: initialize from '{}' (asked {}, speaking {})", session.client_name, asked, session.protocol_version);
    return {{"protocolVersion", session.protocol_version},
            {"capabilities",
             {{"tools", {{"listChanged", false}}},
              {"resources", {{"listChanged", false}, {"subscribe", true}}},
              {"prompts", {{"listChanged", false}}},
              {"completions", json::object()},
              {"logging", json::object()}}},
            {"serverInfo",
             {{"name", "mcdewey"},
              {"title", "McDewey documentation library"},
              {"version", MCDEWEY_VERSION}}},
            {"instructions", kInstructions}};
  }

  json tools_call(const json& p) {
    if (!p.contains("name") || !p["name"].is_string()) throw RpcError(kInvalidParams, "tools/call needs params.name");
    const std::string name = p["name"].get<std::string>();
    json args = p.contains("arguments") ? p["arguments"] : json::object();
    if (!args.is_object() && !args.is_null()) throw RpcError(kInvalidParams, "params.arguments must be an object");
    ToolOptions to;
    to.default_max_chars = options.default_max_chars;
    auto r = call_tool(lib, to, name, args);
    if (!r) {
      std::vector<std::string> names;
      for (const auto& t : tool_list()) names.push_back(t["name"].get<std::string>());
      throw RpcError(kInvalidParams, fmt::format("Unknown tool: {} (tools: {})", name, fmt::join(names, ", ")));
    }
    return *r;
  }

  json no_cursor_list(const json& p, json result) {
    // We list everything in one page; a cursor can only be one we never issued.
    if (p.contains("cursor") && !p["cursor"].is_null()) throw RpcError(kInvalidParams, "invalid cursor");
    return result;
  }

  json set_level(const json& p) {
    const std::string level = p.contains("level") && p["level"].is_string() ? p["level"].get<std::string>() : "";
    if (std::find(kLogLevels.begin(), kLogLevels.end(), level) == kLogLevels.end()) {
      throw RpcError(kInvalidParams, fmt::format("level must be one of: {}", fmt::join(kLogLevels, ", ")));
    }
    session.log_level = level;
    return json::object();
  }

  json subscribe(const json& p, bool on) {
    if (!p.contains("uri") || !p["uri"].is_string()) throw RpcError(kInvalidParams, "missing string param uri");
    const std::string uri = p["uri"].get<std::string>();
    auto& subs = session.subscriptions;
    auto it = std::find(subs.begin(), subs.end(), uri);
    if (on && it == subs.end() && subs.size() < 1000) subs.push_back(uri);
    if (!on && it != subs.end()) subs.erase(it);
    return json::object();
  }

  json request(const std::string& method, const json& p) {
    if (method == "initialize") return initialize(p);
    if (method == "ping") return json::object();
    if (method == "tools/list") return no_cursor_list(p, {{"tools", tool_list()}});
    if (method == "tools/call") return tools_call(p);
    if (method == "resources/list") return list_resources(lib, p);
    if (method == "resources/read") return read_resource(lib, p);
    if (method == "resources/subscribe") return subscribe(p, true);
    if (method == "resources/unsubscribe") return subscribe(p, false);
    if (method == "resources/templates/list") return no_cursor_list(p, resource_templates());
    if (method == "prompts/list") return no_cursor_list(p, list_prompts());
    if (method == "prompts/get") return get_prompt(p);
    if (method == "completion/complete") return complete(lib, p);
    if (method == "logging/setLevel") return set_level(p);
    throw RpcError(kMethodNotFound, fmt::format("Method not found: {}", method));
  }

  // One message of a batch or on its own; nullopt when no response is due.
  std::optional<json> one(const json& msg, bool in_batch) {
    if (!msg.is_object()) return make_error(nullptr, kInvalidRequest, "Invalid Request: a message must be a JSON object");
    const bool has_id = msg.contains("id");
    const json id = has_id && valid_id(msg["id"]) ? msg["id"] : json(nullptr);
    if (has_id && !valid_id(msg["id"])) {
      return make_error(nullptr, kInvalidRequest, "Invalid Request: id must be a string or a number");
    }
    if (!msg.contains("jsonrpc") || msg["jsonrpc"] != "2.0") {
      return make_error(id, kInvalidRequest, "Invalid Request: jsonrpc must be \"2.0\"");
    }
    if (!msg.contains("method")) {
      // A response to a request we sent (we send none) or garbage; responses need no answer.
      if (has_id && (msg.contains("result") || msg.contains("error"))) return std::nullopt;
      return make_error(id, kInvalidRequest, "Invalid Request: no method");
    }
    if (!msg["method"].is_string()) return make_error(id, kInvalidRequest, "Invalid Request: method must be a string");
    const std::string method = msg["method"].get<std::string>();
    if (!has_id) {
      // Notifications: initialized, cancelled (we answer synchronously, so nothing to cancel),
      // roots/list_changed... none needs an answer, and unknown ones are ignored. Only an
      // answered initialize marks the session initialized: over HTTP that starts a session,
      // and a bare notification must not.
      return std::nullopt;
    }
    try {
      if (in_batch && method == "initialize") {
        throw RpcError(kInvalidRequest, "initialize must not be part of a JSON-RPC batch");
      }
      return make_result(id, request(method, params_of(msg)));
    } catch (const RpcError& e) {
      return make_error(id, e.code, e.what(), e.data);
    } catch (const json::exception& e) {
      return make_error(id, kInvalidParams, fmt::format("Invalid params: {}", e.what()));
    } catch (const std::exception& e) {
      log::error("mcp: {} failed: {}", method, e.what());
      return make_error(id, kInternalError, "Internal error");
    }
  }
};

}  // namespace

std::optional<std::string> McpServer::handle(std::string_view message, McpSession& session, bool* unreadable) const {
  auto refuse = [&](int code, const std::string& text) {
    if (unreadable) *unreadable = true;
    return dump(make_error(nullptr, code, text));
  };
  if (unreadable) *unreadable = false;
  try {
    if (message.size() > options_.max_message_bytes) {
      return refuse(kInvalidRequest, fmt::format("Invalid Request: message over {} bytes", options_.max_message_bytes));
    }
    json msg = json::parse(message, nullptr, /*allow_exceptions=*/false);
    if (msg.is_discarded()) return refuse(kParseError, "Parse error: not valid JSON");
    if (nesting_depth(message) > kMaxNestingDepth) {
      return refuse(kInvalidRequest,
                    fmt::format("Invalid Request: JSON nested deeper than {} levels", kMaxNestingDepth));
    }
    Dispatcher d{library_, options_, session};
    if (msg.is_array()) {
      // Batches exist only in 2025-03-26; later revisions removed them.
      const std::string& v = session.protocol_version;
      if (!v.empty() && v != "2025-03-26") {
        return refuse(kInvalidRequest, fmt::format("Invalid Request: JSON-RPC batches are not part of protocol {}", v));
      }
      if (msg.empty()) return refuse(kInvalidRequest, "Invalid Request: empty batch");
      if (msg.size() > 100) return refuse(kInvalidRequest, "Invalid Request: batch over 100 messages");
      json out = json::array();
      for (const auto& m : msg) {
        if (auto r = d.one(m, true)) out.push_back(std::move(*r));
      }
      if (out.empty()) return std::nullopt;
      return dump(out);
    }
    auto r = d.one(msg, false);
    if (!r) return std::nullopt;
    // An error that answers no id: the message was not a request we could read.
    if (unreadable && r->contains("error") && (*r)["id"].is_null()) *unreadable = true;
    return dump(*r);
  } catch (const std::exception& e) {
    log::error("mcp: unexpected failure: {}", e.what());
    return dump(make_error(nullptr, kInternalError, "Internal error"));
  }
}

}  // namespace mcdewey::server::mcp
