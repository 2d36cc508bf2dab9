// The Streamable HTTP transport of the MCP server at /mcp (DESIGN.md "MCP surface"):
//   POST    one JSON-RPC message (or a 2025-03-26 batch) -> 200 application/json, or 202 with
//           no body for notifications and responses
//   GET     405 (we open no server-initiated stream)
//   DELETE  ends the session named by Mcp-Session-Id
//   OPTIONS CORS preflight for allowed origins
// Checks, in order: Host/Origin (403; DNS-rebinding protection: loopback origins and the
// --allow-origin list pass), bearer token when a token file is set (401 with
// WWW-Authenticate: Bearer), Content-Type (415), Accept (406), MCP-Protocol-Version (400),
// Mcp-Session-Id (404 when unknown).
#pragma once

#include <string>
#include <vector>

#include "app/library.h"
#include "common/status.h"
#include "server/http/http_server.h"
#include "server/mcp/mcp_server.h"

namespace mcdewey::server {

struct McpHttpConfig {
  std::string bind_host = "127.0.0.1";       // Host headers are checked while bound to loopback
  std::vector<std::string> allowed_origins;  // besides loopback; "*" allows any
  std::string token_file;                    // bearer tokens, one per line ('#' comments); "" = none
  mcp::McpOptions mcp;
  size_t max_sessions = 10000;  // the least recently used session is dropped past this
};

// Registers /mcp on `http`. Fails (and registers nothing) when the token file cannot be
// read or holds no token. `library` must outlive `http`.
Status register_mcp_routes(HttpServer& http, app::Library& library, const McpHttpConfig& config);

}  // namespace mcdewey::server
