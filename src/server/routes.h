// The one route table (STYLE.md §2.9): REST, pages, assets, originals, health, metrics.
#pragma once

#include <filesystem>

#include "app/library.h"
#include "server/http/http_server.h"

namespace mcdewey::server {

struct RouteContext {
  app::Library& library;
  HttpServer& http;
  std::filesystem::path web_root;  // empty: embedded assets
};

void register_routes(RouteContext& ctx);

}  // namespace mcdewey::server
