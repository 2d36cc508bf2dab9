// The transport-independent MCP server (DESIGN.md "MCP surface"): takes one JSON-RPC message
// (a request, a notification, a response, or a 2025-03-26 batch) and returns the response
// text, or nothing when none is due. Used by the HTTP route /mcp (mcp_http.h) and by
// `mcdewey mcp --stdio`. Thread-safe: state lives in the caller's McpSession.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/library.h"

namespace mcdewey::server::mcp {

// Protocol revisions we speak, newest first. initialize answers the client's revision when
// it is one of these, else the newest.
const std::vector<std::string>& supported_protocol_versions();
bool is_supported_protocol_version(std::string_view version);
// What a request without MCP-Protocol-Version is taken to speak (the spec's fallback).
inline constexpr const char* kDefaultProtocolVersion = "2025-03-26";

struct McpOptions {
  size_t default_max_chars = 20000;    // tool result size budget unless a call asks for another
  size_t max_message_bytes = 4 << 20;  // a larger message is refused (-32600)
};

// One client connection's state: a stdio process, or one HTTP session (Mcp-Session-Id).
struct McpSession {
  std::string protocol_version;  // negotiated by initialize; "" before
  bool initialized = false;      // initialize was answered
  std::string log_level = "info";
  std::string client_name;
  // resources/subscribe'd URIs. McDewey's docs change only on ingest and no update is pushed
  // (there is no server-to-client stream); the list is kept so unsubscribe is exact.
  std::vector<std::string> subscriptions;
};

class McpServer {
 public:
  explicit McpServer(app::Library& library, McpOptions options = {});

  // Handles one message. nullopt: nothing to send (notifications, responses, a batch of
  // them). Never throws; malformed input becomes a JSON-RPC error (a message over
  // max_message_bytes or nested deeper than 64 levels is refused), and `unreadable` (when
  // given) says whether the message was no request at all (bad JSON, not JSON-RPC, a refused
  // batch), which HTTP answers with 400.
  std::optional<std::string> handle(std::string_view message, McpSession& session, bool* unreadable = nullptr) const;

  const McpOptions& options() const { return options_; }

 private:
  app::Library& library_;
  McpOptions options_;
};

}  // namespace mcdewey::server::mcp
