// MCP prompts (answer a question from the docs with citations; compare versions) and
// completion/complete of product, version and doc arguments, for prompts and the doc
// resource template alike.
#pragma once

#include <nlohmann/json.hpp>

#include "app/library.h"
#include "server/mcp/rpc_error.h"

namespace mcdewey::server::mcp {

using json = nlohmann::json;

json list_prompts();
// prompts/get. An unknown prompt or a missing required argument throws RpcError(-32602).
json get_prompt(const json& params);
// completion/complete. A reference we do not know completes to nothing (not an error), so
// generic clients can probe it.
json complete(app::Library& library, const json& params);

}  // namespace mcdewey::server::mcp
