#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <pthread.h>
#include <thread>

#include <fmt/format.h>

#include "app/library.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/library_options.h"
#include "server/server.h"

namespace mcdewey::cli {

namespace {

struct ServeArgs {
  server::ServerConfig config;
  std::string config_file;
  std::string host, web_root, token_file;
  int port = -1;
  std::vector<std::string> allow_origin;
  EmbedArgs embed;
};

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

}  // namespace

Runner add_serve(CLI::App& app, GlobalOptions& g) {
  auto a = std::make_shared<ServeArgs>();
  CLI::App* sub = app.add_subcommand("serve", "Serve the web UI and REST API");
  sub->footer(
      "Settings come from flags, then MCDEWEY_* environment variables (MCDEWEY_HOST, MCDEWEY_PORT,\n"
      "MCDEWEY_DATA, MCDEWEY_WEB_ROOT, MCDEWEY_CONFIG), then the TOML file given by --config:\n"
      "  host = \"127.0.0.1\"\n  port = 8080\n  data = \"/srv/mcdewey-data\"\n"
      "Binds 127.0.0.1 unless --host says otherwise; --port 0 picks a free port. The URL is printed\n"
      "once the server is ready. SIGINT/SIGTERM stop it cleanly.\n"
      "Example:\n  mcdewey serve --data ./mcdewey-data --port 8080");
  add_data_option(*sub, g);
  sub->add_option("--host", a->host, "Address to bind (default 127.0.0.1)");
  sub->add_option("--port", a->port, "Port (default 8080; 0 = any free port)")->check(CLI::Range(0, 65535));
  sub->add_option("--web-root", a->web_root, "Serve the UI from this folder instead of the embedded copy (development)");
  sub->add_option("--config", a->config_file, "TOML settings file")->type_name("FILE");
  sub->add_option("--threads", a->config.threads, "HTTP worker threads: at least the number of concurrent clients (default 64)")
      ->check(CLI::Range(0, 256));
  sub->add_option("--allow-origin", a->allow_origin, "Extra allowed Origin for /mcp (repeatable)");
  sub->add_option("--token-file", a->token_file, "Bearer tokens for /mcp, one per line");
  add_embedder_options(*sub, a->embed);

  return [a, sub, &g]() -> int {
    server::ServerConfig cfg = a->config;
    std::string data_dir = g.data_dir;
    const bool data_flag = sub->get_option("--data")->count() > 0 || env("MCDEWEY_DATA");
    std::string config_file = a->config_file.empty() && env("MCDEWEY_CONFIG") ? env("MCDEWEY_CONFIG") : a->config_file;
    if (!config_file.empty()) {
      std::string file_data;
      Status s = server::load_config_file(config_file, &cfg, &file_data);
      if (!s.is_ok()) return fail(s.message());
      if (!data_flag && !file_data.empty()) data_dir = file_data;
    }
    if (const char* v = env("MCDEWEY_HOST")) cfg.host = v;
    if (const char* v = env("MCDEWEY_PORT")) {
      char* end = nullptr;
      long p = std::strtol(v, &end, 10);
      if (*end != '\0' || p < 0 || p > 65535) return fail(fmt::format("MCDEWEY_PORT={} is not a port", v));
      cfg.port = static_cast<int>(p);
    }
    if (const char* v = env("MCDEWEY_WEB_ROOT")) cfg.web_root = v;
    if (!a->host.empty()) cfg.host = a->host;
    if (a->port >= 0) cfg.port = a->port;
    if (!a->web_root.empty()) cfg.web_root = a->web_root;
    if (!a->token_file.empty()) cfg.token_file = a->token_file;
    for (const auto& o : a->allow_origin) cfg.allowed_origins.push_back(o);

    auto lib = open_library(data_dir, /*create=*/true, a->embed);
    if (!lib) return fail(lib.status().message());

    // Signals are taken by one thread with sigwait, so no handler runs inside the server.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);

    server::Server srv(**lib, cfg);
    auto port = srv.bind();
    if (!port) return fail(port.status().message());
    std::string shown_host = cfg.host.find(':') != std::string::npos ? "[" + cfg.host + "]" : cfg.host;
    std::printf("McDewey serving %s at http://%s:%d/\n", std::filesystem::absolute(data_dir).lexically_normal().c_str(),
                shown_host.c_str(), *port);
    std::fflush(stdout);

    std::atomic<bool> finished{false};
    std::thread waiter([&srv, &finished, set] {
      int sig = 0;
      sigwait(&set, &sig);
      if (finished) return;  // woken by the main thread below
      std::fprintf(stderr, "mcdewey: %s, shutting down\n", sig == SIGINT ? "interrupted" : "terminated");
      // A signal can arrive before run() has started listening, when stop() is a no-op:
      // keep asking until run() has returned.
      while (!finished) {
        srv.stop();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
    Status s = srv.run();
    finished = true;
    // run() may end without a signal (an error): wake the waiter so it can exit.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    if (!s.is_ok()) return fail(s.message());
    return kExitOk;
  };
}

}  // namespace mcdewey::cli
