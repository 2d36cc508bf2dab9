// The web UI (web/), embedded into the binary at build time.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace mcdewey::server {

struct Asset {
  std::string_view name;  // path below web/, e.g. "index.html", "app.js"
  const char* data;
  size_t size;
  std::string_view mime;
  std::string_view etag;  // quoted, content hash
};

const std::vector<Asset>& embedded_assets();

}  // namespace mcdewey::server
