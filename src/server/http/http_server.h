// A thin HTTP server (STYLE.md §2.5): cpp-httplib stays behind this pimpl; handlers see only
// HttpRequest/HttpResponse. Every handler is guarded: an exception becomes a 500 with a JSON
// error, never a dead server. Per-route metrics are recorded for /metrics.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/status.h"

namespace mcdewey::server {

struct HttpRequest {
  std::string method;
  std::string path;  // decoded path, without the query string
  std::multimap<std::string, std::string> params;  // query string (decoded)
  std::map<std::string, std::string> headers;      // lower-case names
  std::string body;
  std::vector<std::string> matches;  // regex groups of the route pattern, [0] = whole path
  std::string remote_addr;

  bool has_param(const std::string& k) const { return params.count(k) > 0; }
  std::string param(const std::string& k, const std::string& fallback = "") const;
  std::string header(const std::string& lower_name) const;
};

struct HttpResponse {
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;

  static HttpResponse json(int status, std::string body);
  static HttpResponse text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpOptions {
  size_t max_body_bytes = 4 << 20;  // larger request bodies get 413
  int read_timeout_seconds = 10;
  // cpp-httplib gives each connection a worker for its whole keep-alive life: with fewer
  // workers than busy keep-alive clients, the extra clients wait for a connection to close
  // (measured: 8 of 16 MCP clients starved for 35 s with 8 workers). So many workers (they
  // mostly wait on sockets; the work is bounded by the cores anyway) and connections recycled
  // after 100 requests.
  int keep_alive_max = 100;
  int threads = 64;
  // Headers added to every response (security headers).
  std::vector<std::pair<std::string, std::string>> default_headers;
};

// Counters and latency histograms by route and status, in Prometheus text format.
class Metrics {
 public:
  Metrics();
  ~Metrics();
  void observe(const std::string& route, int status, double seconds);
  // Appends the exposition of the HTTP metrics; `extra` lines are appended as given.
  std::string prometheus(const std::string& extra) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

class HttpServer {
 public:
  explicit HttpServer(HttpOptions options = {});
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // `pattern` is a regex on the decoded path; `name` labels the route in /metrics.
  void route(const std::string& method, const std::string& pattern, const std::string& name, Handler handler);
  // Answers requests no route matched (after method checks).
  void fallback(Handler handler);

  // Binds (port 0 = a free port). Returns the bound port.
  Result<int> bind(const std::string& host, int port);
  // Serves until stop(); call after bind(). Blocks.
  Status serve();
  void stop();
  bool running() const;

  Metrics& metrics();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mcdewey::server
