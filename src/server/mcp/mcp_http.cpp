#include "server/mcp/mcp_http.h"

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <random>

#include <fmt/format.h>

#include "common/fs.h"
#include "common/log.h"
#include "common/strings.h"
#include "server/mcp/jsonrpc.h"

namespace mcdewey::server {

namespace {

using mcp::json;
using Clock = std::chrono::steady_clock;

constexpr int kSessionNotFound = -32001;  // as the reference SDKs answer an unknown session

struct SessionEntry {
  mcp::McpSession session;
  Clock::time_point last_used;
};

struct McpHttpState {
  McpHttpState(app::Library& lib, McpHttpConfig cfg) : config(std::move(cfg)), server(lib, config.mcp) {}
  McpHttpConfig config;
  mcp::McpServer server;
  std::vector<std::string> tokens;
  std::mutex mu;
  std::map<std::string, SessionEntry> sessions;
};

HttpResponse rpc_error(int status, int code, const std::string& message) {
  return HttpResponse::json(status, mcp::dump(mcp::make_error(nullptr, code, message)));
}

std::string new_session_id() {
  std::random_device rd;
  return fmt::format("{:08x}{:08x}{:08x}{:08x}", rd(), rd(), rd(), rd());
}

bool is_loopback_host(std::string host) {
  host = str::to_lower_ascii(host);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return host == "localhost" || host == "::1" || str::starts_with(host, "127.") || str::ends_with(host, ".localhost");
}

// "host:port" or "[v6]:port" -> host (brackets kept off).
std::string host_part(const std::string& authority) {
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    return close == std::string::npos ? authority : authority.substr(0, close + 1);
  }
  size_t colon = authority.rfind(':');
  return colon == std::string::npos ? authority : authority.substr(0, colon);
}

std::string normalise_origin(std::string o) {
  o = str::to_lower_ascii(str::trim(o));
  while (!o.empty() && o.back() == '/') o.pop_back();
  return o;
}

// The host of "scheme://host[:port]"; "" when it is not of that form.
std::string origin_host(const std::string& origin) {
  size_t sep = origin.find("://");
  if (sep == std::string::npos) return "";
  std::string rest = origin.substr(sep + 3);
  if (size_t slash = rest.find('/'); slash != std::string::npos) rest = rest.substr(0, slash);
  return host_part(rest);
}

bool origin_allowed(const McpHttpConfig& c, const std::string& origin) {
  const std::string o = normalise_origin(origin);
  for (const auto& a : c.allowed_origins) {
    if (a == "*" || normalise_origin(a) == o) return true;
  }
  const std::string host = origin_host(o);
  return !host.empty() && (str::starts_with(o, "http://") || str::starts_with(o, "https://")) && is_loopback_host(host);
}

bool host_allowed(const McpHttpConfig& c, const std::string& host_header) {
  if (host_header.empty() || !is_loopback_host(c.bind_host)) return true;  // only loopback binds know their names
  const std::string host = str::to_lower_ascii(host_part(host_header));
  if (is_loopback_host(host)) return true;
  for (const auto& a : c.allowed_origins) {
    if (a == "*" || origin_host(normalise_origin(a)) == host) return true;
  }
  return false;
}

bool constant_time_equal(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// Media type of a header value, lower-case, without parameters.
std::string media_type(const std::string& v) {
  return str::to_lower_ascii(str::trim(v.substr(0, v.find(';'))));
}

bool accepts_json(const std::string& accept) {
  if (str::trim(accept).empty()) return true;
  for (const auto& part : str::split(accept, ',')) {
    const std::string t = media_type(part);
    if (t == "application/json" || t == "application/*" || t == "*/*") return true;
  }
  return false;
}

void add_cors(const HttpRequest& req, HttpResponse& r) {
  const std::string origin = req.header("origin");
  if (origin.empty()) return;
  r.headers.emplace_back("Access-Control-Allow-Origin", origin);
  r.headers.emplace_back("Vary", "Origin");
  r.headers.emplace_back("Access-Control-Expose-Headers", "Mcp-Session-Id, WWW-Authenticate");
}

// Host/Origin and token checks shared by every method; nullopt when the request may go on.
std::optional<HttpResponse> gate(McpHttpState& st, const HttpRequest& req) {
  const std::string origin = req.header("origin");
  if (!host_allowed(st.config, req.header("host"))) {
    return rpc_error(403, mcp::kInvalidRequest, fmt::format("Forbidden: Host '{}' is not allowed", req.header("host")));
  }
  if (!origin.empty() && !origin_allowed(st.config, origin)) {
    return rpc_error(403, mcp::kInvalidRequest,
                     fmt::format("Forbidden: Origin '{}' is not allowed (start the server with --allow-origin)", origin));
  }
  if (!st.tokens.empty()) {
    const std::string auth = req.header("authorization");
    std::string token;
    if (str::starts_with(str::to_lower_ascii(auth.substr(0, 7)), "bearer ")) token = std::string(str::trim(auth.substr(7)));
    bool ok = false;
    for (const auto& t : st.tokens) ok = constant_time_equal(t, token) || ok;
    if (!ok) {
      HttpResponse r = rpc_error(401, mcp::kInvalidRequest,
                                 token.empty() ? "Unauthorized: a bearer token is required"
                                               : "Unauthorized: the bearer token is not valid");
      r.headers.emplace_back("WWW-Authenticate", token.empty() ? std::string("Bearer realm=\"mcdewey\"")
                                                               : std::string("Bearer realm=\"mcdewey\", error=\"invalid_token\""));
      add_cors(req, r);
      return r;
    }
  }
  return std::nullopt;
}

void evict_if_full(McpHttpState& st) {
  if (st.sessions.size() < st.config.max_sessions) return;
  auto oldest = st.sessions.begin();
  for (auto it = st.sessions.begin(); it != st.sessions.end(); ++it) {
    if (it->second.last_used < oldest->second.last_used) oldest = it;
  }
  st.sessions.erase(oldest);
}

HttpResponse handle_post(McpHttpState& st, const HttpRequest& req) {
  if (media_type(req.header("content-type")) != "application/json") {
    return rpc_error(415, mcp::kInvalidRequest, "Unsupported Media Type: Content-Type must be application/json");
  }
  if (!accepts_json(req.header("accept"))) {
    return rpc_error(406, mcp::kInvalidRequest, "Not Acceptable: Accept must allow application/json");
  }
  const std::string version = std::string(str::trim(req.header("mcp-protocol-version")));
  if (!version.empty() && !mcp::is_supported_protocol_version(version)) {
    return rpc_error(400, mcp::kInvalidRequest,
                     fmt::format("Bad Request: unsupported MCP-Protocol-Version '{}' (supported: {})", version,
                                 fmt::join(mcp::supported_protocol_versions(), ", ")));
  }
  const std::string sid = std::string(str::trim(req.header("mcp-session-id")));
  mcp::McpSession session;
  if (!sid.empty()) {
    std::lock_guard lock(st.mu);
    auto it = st.sessions.find(sid);
    if (it == st.sessions.end()) {
      return rpc_error(404, kSessionNotFound, "Session not found: initialize again without Mcp-Session-Id");
    }
    it->second.last_used = Clock::now();
    session = it->second.session;
  } else {
    // No session: a stateless request speaks the header's revision, or the spec's fallback.
    session.protocol_version = version.empty() ? mcp::kDefaultProtocolVersion : version;
  }
  const bool was_initialized = session.initialized;
  const std::string was_version = session.protocol_version;
  bool unreadable = false;
  auto out = st.server.handle(req.body, session, &unreadable);

  HttpResponse r;
  if (sid.empty() && session.initialized && !was_initialized) {
    // initialize answered: start a session the client names from now on.
    std::string id = new_session_id();
    std::lock_guard lock(st.mu);
    evict_if_full(st);
    st.sessions[id] = {session, Clock::now()};
    r.headers.emplace_back("Mcp-Session-Id", id);
  } else if (!sid.empty()) {
    std::lock_guard lock(st.mu);
    if (auto it = st.sessions.find(sid); it != st.sessions.end()) {
      it->second.session.log_level = session.log_level;
      it->second.session.initialized = session.initialized;
      it->second.session.subscriptions = session.subscriptions;
      if (session.protocol_version != was_version) it->second.session.protocol_version = session.protocol_version;
    }
  }
  if (!out) {
    r.status = 202;
  } else {
    r.status = unreadable ? 400 : 200;
    r.body = std::move(*out);
  }
  r.content_type = "application/json";
  add_cors(req, r);
  return r;
}

Result<std::vector<std::string>> read_tokens(const std::string& path) {
  auto text = fs::read_file(path, 1 << 20);
  if (!text) return Status(text.status().code(), fmt::format("token file {}: {}", path, text.status().message()));
  std::vector<std::string> tokens;
  for (const auto& line : str::split(*text, '\n')) {
    std::string t(str::trim(line));
    if (t.empty() || t[0] == '#') continue;
    tokens.push_back(t);
  }
  if (tokens.empty()) return invalid_argument(fmt::format("token file {} holds no token", path));
  return tokens;
}

}  // namespace

Status register_mcp_routes(HttpServer& http, app::Library& library, const McpHttpConfig& config) {
  auto st = std::make_shared<McpHttpState>(library, config);
  if (!config.token_file.empty()) {
    auto tokens = read_tokens(config.token_file);
    if (!tokens) return tokens.status();
    st->tokens = std::move(tokens.value());
  }
  http.route("POST", "/mcp", "/mcp", [st](const HttpRequest& req) {
    if (auto denied = gate(*st, req)) return *denied;
    return handle_post(*st, req);
  });
  http.route("GET", "/mcp", "/mcp", [st](const HttpRequest& req) {
    if (auto denied = gate(*st, req)) return *denied;
    HttpResponse r = rpc_error(405, mcp::kInvalidRequest,
                               "Method Not Allowed: this server opens no SSE stream; POST JSON-RPC messages");
    r.headers.emplace_back("Allow", "POST, DELETE, OPTIONS");
    add_cors(req, r);
    return r;
  });
  http.route("DELETE", "/mcp", "/mcp", [st](const HttpRequest& req) {
    if (auto denied = gate(*st, req)) return *denied;
    const std::string sid = std::string(str::trim(req.header("mcp-session-id")));
    if (sid.empty()) return rpc_error(400, mcp::kInvalidRequest, "Bad Request: no Mcp-Session-Id");
    std::lock_guard lock(st->mu);
    if (st->sessions.erase(sid) == 0) return rpc_error(404, kSessionNotFound, "Session not found");
    HttpResponse r;
    r.status = 204;
    add_cors(req, r);
    return r;
  });
  http.route("OPTIONS", "/mcp", "/mcp", [st](const HttpRequest& req) {
    const std::string origin = req.header("origin");
    if (!origin.empty() && !origin_allowed(st->config, origin)) {
      return rpc_error(403, mcp::kInvalidRequest, fmt::format("Forbidden: Origin '{}' is not allowed", origin));
    }
    HttpResponse r;
    r.status = 204;
    add_cors(req, r);
    r.headers.emplace_back("Access-Control-Allow-Methods", "POST, GET, DELETE, OPTIONS");
    r.headers.emplace_back("Access-Control-Allow-Headers",
                           "Content-Type, Accept, Authorization, Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID");
    r.headers.emplace_back("Access-Control-Max-Age", "600");
    return r;
  });
  return Status::ok();
}

}  // namespace mcdewey::server
