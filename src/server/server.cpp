#include "server/server.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include "common/fs.h"
#include "server/http/http_server.h"
#include "server/mcp/mcp_http.h"
#include "server/routes.h"

namespace mcdewey::server {

namespace {

HttpOptions http_options(const ServerConfig& c) {
  HttpOptions o;
  o.max_body_bytes = c.max_body_bytes;
  if (c.threads > 0) o.threads = c.threads;
  // Scripts and styles only from our own origin; rendered documents can never run code.
  o.default_headers = {
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "frame-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "SAMEORIGIN"},
  };
  return o;
}

}  // namespace

Status load_config_file(const std::filesystem::path& path, ServerConfig* c, std::string* data_dir) {
  auto text = fs::read_file(path, 1 << 20);
  if (!text) return text.status();
  toml::table t;
  try {
    t = toml::parse(*text, path.string());
  } catch (const toml::parse_error& e) {
    return invalid_argument(
        fmt::format("{}:{}:{}: {}", path.string(), e.source().begin.line, e.source().begin.column, e.description()));
  }
  if (auto v = t["host"].value<std::string>()) c->host = *v;
  if (auto v = t["port"].value<int64_t>()) c->port = static_cast<int>(*v);
  if (auto v = t["data"].value<std::string>(); v && data_dir) *data_dir = *v;
  if (auto v = t["web_root"].value<std::string>()) c->web_root = *v;
  if (auto v = t["threads"].value<int64_t>()) c->threads = static_cast<int>(*v);
  if (auto v = t["token_file"].value<std::string>()) c->token_file = *v;
  if (const toml::array* a = t["allow_origin"].as_array()) {
    for (const auto& e : *a) {
      if (auto s = e.value<std::string>()) c->allowed_origins.push_back(*s);
    }
  }
  if (c->port < 0 || c->port > 65535) return invalid_argument(fmt::format("{}: port {} is out of range", path.string(), c->port));
  return Status::ok();
}

struct Server::Impl {
  Impl(app::Library& lib, ServerConfig cfg) : config(std::move(cfg)), http(http_options(config)), ctx{lib, http, config.web_root} {}
  ServerConfig config;
  HttpServer http;
  RouteContext ctx;
  Status mcp_status;  // a bad token file fails bind()
};

Server::Server(app::Library& library, ServerConfig config)
    : impl_(std::make_unique<Impl>(library, std::move(config))) {
  register_routes(impl_->ctx);
  McpHttpConfig mcp{impl_->config.host, impl_->config.allowed_origins, impl_->config.token_file, {}, 10000};
  impl_->mcp_status = register_mcp_routes(impl_->http, library, mcp);
}

Server::~Server() = default;

Result<int> Server::bind() {
  if (!impl_->mcp_status.is_ok()) return impl_->mcp_status;
  return impl_->http.bind(impl_->config.host, impl_->config.port);
}
Status Server::run() { return impl_->http.serve(); }
void Server::stop() { impl_->http.stop(); }

}  // namespace mcdewey::server
