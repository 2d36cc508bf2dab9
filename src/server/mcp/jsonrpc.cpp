#include "server/mcp/jsonrpc.h"

namespace mcdewey::server::mcp {

int jsonrpc_code(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kUnsupported: return kInvalidParams;
    case ErrorCode::kNotFound: return kResourceNotFound;
    case ErrorCode::kOk:
    case ErrorCode::kConflict:
    case ErrorCode::kCorrupt:
    case ErrorCode::kIo:
    case ErrorCode::kInternal: return kInternalError;
  }
  return kInternalError;
}

json make_result(const json& id, json result) {
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json make_error(const json& id, int code, const std::string& message, const json& data) {
  json err{{"code", code}, {"message", message}};
  if (!data.is_null()) err["data"] = data;
  return json{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(err)}};
}

json make_error(const json& id, const Status& status) {
  return make_error(id, jsonrpc_code(status.code()), status.message());
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

}  // namespace mcdewey::server::mcp
