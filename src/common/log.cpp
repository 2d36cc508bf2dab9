#include "common/log.h"

#include <atomic>
#include <cstdio>
#include <mutex>

namespace mcdewey::log {

namespace {
std::atomic<Level> g_level{Level::kWarn};
std::mutex g_mu;
}  // namespace

void set_level(Level l) { g_level = l; }
Level level() { return g_level; }

void write(Level l, std::string_view message) {
  static constexpr const char* kNames[] = {"debug", "info", "warning", "error", "off"};
  std::lock_guard<std::mutex> lock(g_mu);
  std::fprintf(stderr, "mcdewey: %s: %.*s\n", kNames[static_cast<int>(l)], static_cast<int>(message.size()),
               message.data());
}

}  // namespace mcdewey::log
