// JSON-RPC 2.0 pieces of the MCP server (DESIGN.md "MCP surface"): error codes, the one
// ErrorCode -> JSON-RPC mapping (STYLE.md §2.7), and message builders.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace mcdewey::server::mcp {

using json = nlohmann::json;

// JSON-RPC 2.0 and MCP error codes.
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;
inline constexpr int kResourceNotFound = -32002;  // MCP: resources/read of an unknown URI

// ErrorCode -> JSON-RPC error code, in one place. kNotFound becomes -32002 (the only
// "missing thing" a JSON-RPC error reports is a resource: tools report theirs as results).
int jsonrpc_code(ErrorCode code);

// {"jsonrpc":"2.0","id":id,"result":result}
json make_result(const json& id, json result);
// {"jsonrpc":"2.0","id":id,"error":{"code":..,"message":..[,"data":..]}}
json make_error(const json& id, int code, const std::string& message, const json& data = nullptr);
json make_error(const json& id, const Status& status);

// Serialises a message; invalid UTF-8 from anywhere becomes U+FFFD instead of throwing.
std::string dump(const json& j);

}  // namespace mcdewey::server::mcp
