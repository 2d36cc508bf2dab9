#include "server/http/http_server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <mutex>
#include <regex>

#include <fmt/format.h>
#include <sys/socket.h>
#include <httplib.h>

#include "common/log.h"
#include "common/strings.h"

namespace mcdewey::server {

std::string HttpRequest::param(const std::string& k, const std::string& fallback) const {
  auto it = params.find(k);
  return it == params.end() ? fallback : it->second;
}

std::string HttpRequest::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? "" : it->second;
}

HttpResponse HttpResponse::json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::text(int status, std::string body, std::string content_type) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

// ---- metrics ----

namespace {
constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                             0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
}  // namespace

struct Metrics::Impl {
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu;
  std::map<std::pair<std::string, int>, uint64_t> requests;
  std::map<std::string, Histogram> latency;
};

Metrics::Metrics() : impl_(std::make_unique<Impl>()) {}
Metrics::~Metrics() = default;

void Metrics::observe(const std::string& route, int status, double seconds) {
  std::lock_guard lock(impl_->mu);
  impl_->requests[{route, status}]++;
  auto& h = impl_->latency[route];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) h.counts[i]++;
  }
  h.count++;
  h.sum += seconds;
}

std::string Metrics::prometheus(const std::string& extra) const {
  std::lock_guard lock(impl_->mu);
  std::string out;
  out += "# HELP mcdewey_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE mcdewey_http_requests_total counter\n";
  for (const auto& [key, n] : impl_->requests) {
    out += fmt::format("mcdewey_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first, key.second, n);
  }
  out += "# HELP mcdewey_http_request_duration_seconds HTTP request latency by route.\n";
  out += "# TYPE mcdewey_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : impl_->latency) {
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format("mcdewey_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n", route,
                         kBuckets[i], h.counts[i]);
    }
    out += fmt::format("mcdewey_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", route, h.count);
    out += fmt::format("mcdewey_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", route, h.sum);
    out += fmt::format("mcdewey_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", route, h.count);
  }
  out += extra;
  return out;
}

// ---- server ----

struct HttpServer::Impl {
  HttpOptions options;
  httplib::Server srv;
  Metrics metrics;
  Handler fallback;
  std::atomic<bool> bound{false};
  int listen_fd = -1;  // recorded by the socket-options hook, for the backlog below
};

namespace {

std::string json_error(const std::string& code, const std::string& message) {
  return fmt::format(R"({{"error":{{"code":"{}","message":"{}"}}}})", str::json_escape(code), str::json_escape(message));
}

HttpRequest convert(const httplib::Request& in) {
  HttpRequest r;
  r.method = in.method;
  r.path = in.path;
  for (const auto& [k, v] : in.params) r.params.emplace(k, v);
  for (const auto& [k, v] : in.headers) r.headers[str::to_lower_ascii(k)] = v;
  r.body = in.body;
  for (const auto& m : in.matches) r.matches.push_back(m.str());
  r.remote_addr = in.remote_addr;
  return r;
}

void apply(const HttpResponse& from, httplib::Response& to) {
  to.status = from.status;
  for (const auto& [k, v] : from.headers) to.set_header(k, v);
  if (from.status == 204 || (from.status == 202 && from.body.empty())) {
    to.body.clear();
    return;
  }
  to.set_content(from.body, from.content_type);
}

}  // namespace

HttpServer::HttpServer(HttpOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  auto& srv = impl_->srv;
  srv.set_payload_max_length(impl_->options.max_body_bytes);
  // httplib writes headers and body separately; with Nagle on, the body waits for the
  // client's delayed ACK: a 40 ms floor on every small response (measured with bench/mcp_load.py).
  srv.set_tcp_nodelay(true);
  srv.set_read_timeout(impl_->options.read_timeout_seconds, 0);
  srv.set_keep_alive_max_count(static_cast<size_t>(impl_->options.keep_alive_max));
  {
    size_t n = static_cast<size_t>(std::max(1, impl_->options.threads));
    srv.new_task_queue = [n] { return new httplib::ThreadPool(n); };
  }
  httplib::Headers defaults;
  for (const auto& [k, v] : impl_->options.default_headers) defaults.emplace(k, v);
  srv.set_default_headers(defaults);
  // Last line of defence: anything that escaped a handler's own guard.
  srv.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content(json_error("internal", "internal server error"), "application/json");
  });
  srv.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 404 && impl_->fallback) {
      HttpResponse r = impl_->fallback(convert(req));
      apply(r, res);
      return;
    }
    const char* code = res.status == 413 ? "payload_too_large"
                       : res.status == 414 ? "uri_too_long"
                       : res.status == 431 ? "headers_too_large"
                       : res.status == 404 ? "not_found"
                       : res.status == 405 ? "method_not_allowed"
                       : res.status == 400 ? "bad_request"
                                           : "error";
    std::string msg = res.status == 413 ? fmt::format("request body over {} bytes", impl_->options.max_body_bytes)
                      : res.status == 414 ? std::string("request URI too long")
                      : res.status == 431 ? std::string("request headers too large")
                      : res.status == 404 ? fmt::format("no such path: {}", req.path)
                                          : fmt::format("HTTP {}", res.status);
    res.set_content(json_error(code, msg), "application/json");
  });
}

HttpServer::~HttpServer() { stop(); }

void HttpServer::route(const std::string& method, const std::string& pattern, const std::string& name,
                       Handler handler) {
  auto guarded = [this, name, handler](const httplib::Request& req, httplib::Response& res) {
    const auto t0 = std::chrono::steady_clock::now();
    HttpResponse r;
    try {
      r = handler(convert(req));
    } catch (const std::exception& e) {
      log::error("handler {} threw: {}", name, e.what());
      r = HttpResponse::json(500, json_error("internal", "internal server error"));
    } catch (...) {
      log::error("handler {} threw a non-exception", name);
      r = HttpResponse::json(500, json_error("internal", "internal server error"));
    }
    apply(r, res);
    impl_->metrics.observe(name, r.status,
                           std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  };
  auto& srv = impl_->srv;
  if (method == "GET") {
    srv.Get(pattern, guarded);
  } else if (method == "POST") {
    srv.Post(pattern, guarded);
  } else if (method == "DELETE") {
    srv.Delete(pattern, guarded);
  } else if (method == "PUT") {
    srv.Put(pattern, guarded);
  } else if (method == "OPTIONS") {
    srv.Options(pattern, guarded);
  }
}

void HttpServer::fallback(Handler handler) { impl_->fallback = std::move(handler); }

Result<int> HttpServer::bind(const std::string& host, int port) {
  // Debian's cpp-httplib is compiled with a listen backlog of 5: a burst of connections (16 MCP
  // clients at once) overflowed the accept queue and some were reset. Record the listening
  // socket, and listen() on it again with the system's maximum once bound (Linux then uses the
  // new backlog).
  impl_->srv.set_socket_options([this](socket_t sock) {
    httplib::default_socket_options(sock);
    impl_->listen_fd = sock;
  });
  int bound = 0;
  if (port == 0) {
    bound = impl_->srv.bind_to_any_port(host);
    if (bound <= 0) return io_error(fmt::format("cannot bind {} on a free port", host));
  } else {
    if (!impl_->srv.bind_to_port(host, port)) {
      return io_error(fmt::format("cannot bind {}:{} (in use, or not an address of this machine?)", host, port));
    }
    bound = port;
  }
  if (impl_->listen_fd >= 0) ::listen(impl_->listen_fd, SOMAXCONN);
  impl_->bound = true;
  return bound;
}

Status HttpServer::serve() {
  if (!impl_->bound) return internal_error("serve() before bind()");
  if (!impl_->srv.listen_after_bind()) return io_error("the HTTP server stopped with an error");
  return Status::ok();
}

void HttpServer::stop() {
  if (impl_->srv.is_running()) impl_->srv.stop();
}

bool HttpServer::running() const { return impl_->srv.is_running(); }

Metrics& HttpServer::metrics() { return impl_->metrics; }

}  // namespace mcdewey::server
