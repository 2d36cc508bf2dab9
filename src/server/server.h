// The McDewey server: web UI, REST API (/api/), health and metrics — over one Library.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "app/library.h"
#include "common/status.h"

namespace mcdewey::server {

struct ServerConfig {
  std::string host = "127.0.0.1";  // --host 0.0.0.0 must be asked for
  int port = 8080;                 // 0 = a free port
  std::filesystem::path web_root;  // serve web/ from disk (development); empty = embedded UI
  int threads = 0;                 // HTTP worker threads; 0 = HttpOptions' default (64)
  size_t max_body_bytes = 4 << 20;
  std::vector<std::string> allowed_origins;  // extra Origins allowed (besides loopback)
  std::string token_file;                    // bearer tokens for /mcp, one per line
};

// Loads ServerConfig values from a TOML file (keys: host, port, data, web_root, threads,
// allow_origin = [..], token_file). Only keys present are set. `data_dir` receives `data`.
Status load_config_file(const std::filesystem::path& path, ServerConfig* config, std::string* data_dir);

class Server {
 public:
  Server(app::Library& library, ServerConfig config);
  ~Server();
  // Binds; returns the port (useful with port 0).
  Result<int> bind();
  // Serves until stop(). Blocks.
  Status run();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mcdewey::server
