// A JSON-RPC error raised inside the MCP module's method handlers and turned into an error
// response by McpServer's dispatcher; it never leaves the module.
#pragma once

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace mcdewey::server::mcp {

struct RpcError : std::runtime_error {
  RpcError(int code, const std::string& message, nlohmann::json data = nullptr)
      : std::runtime_error(message), code(code), data(std::move(data)) {}
  int code;
  nlohmann::json data;
};

}  // namespace mcdewey::server::mcp
