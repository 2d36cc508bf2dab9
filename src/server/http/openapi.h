#pragma once

#include <string>

namespace mcdewey::server {

// The OpenAPI 3.1 description of the REST API, served at /api/openapi.json.
const std::string& openapi_json();

}  // namespace mcdewey::server
