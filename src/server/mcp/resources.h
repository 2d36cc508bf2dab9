// MCP resources: each doc as mcdewey://doc/{product}/{version}/{doc} (its canonical Markdown,
// files joined, with the <!-- page N --> markers that carry PDF pages), each chunk through the
// template mcdewey://chunk/{chunk_id}. resources/list pages with an opaque cursor.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "app/library.h"
#include "server/mcp/rpc_error.h"

namespace mcdewey::server::mcp {

using json = nlohmann::json;

inline constexpr int kResourcesPageSize = 100;

// resources/list. A cursor we did not issue throws RpcError(-32602).
json list_resources(app::Library& library, const json& params, int page_size = kResourcesPageSize);
// resources/read. An unknown URI throws RpcError(-32002).
json read_resource(app::Library& library, const json& params);
// resources/templates/list.
json resource_templates();

}  // namespace mcdewey::server::mcp
