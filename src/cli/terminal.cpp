#include "cli/terminal.h"

#include <chrono>
#include <cstdlib>

#include <fmt/format.h>
#include <unistd.h>

#include "common/strings.h"
#include "common/utf8.h"

namespace mcdewey::cli {

bool is_tty(FILE* f) { return ::isatty(::fileno(f)) == 1; }

bool use_color(FILE* f) {
  const char* no = std::getenv("NO_COLOR");
  return is_tty(f) && (no == nullptr || *no == '\0');
}

std::string thousands(long long n) {
  std::string s = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string human_bytes(long long n) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1000 && u < 4) {
    v /= 1000;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", n) : fmt::format("{:.1f} {}", v, units[u]);
}

namespace {

constexpr const char* kBold = "\x1b[1m";
constexpr const char* kDim = "\x1b[2m";
constexpr const char* kMatch = "\x1b[1;33m";
constexpr const char* kReset = "\x1b[0m";

// The passage to show: starts at the paragraph holding the first match (so the reason for
// the hit is on screen), cut at a word boundary near `max_bytes`.
std::string passage(const model::Hit& h, bool color, size_t max_bytes) {
  const std::string& t = h.text;
  size_t start = 0;
  if (!h.highlights.empty() && h.highlights.front().first > max_bytes / 2) {
    size_t para = t.rfind("\n\n", h.highlights.front().first);
    start = para == std::string::npos ? 0 : para + 2;
    if (h.highlights.front().first - start > max_bytes / 2) {
      size_t sp = t.rfind(' ', h.highlights.front().first - max_bytes / 4);
      start = sp == std::string::npos ? start : sp + 1;
    }
  }
  size_t end = t.size();
  bool cut = false;
  if (end - start > max_bytes) {
    end = start + utf8::truncate(std::string_view(t).substr(start), max_bytes).size();
    size_t sp = t.rfind(' ', end);
    if (sp != std::string::npos && sp > start) end = sp;
    cut = true;
  }
  std::string out;
  if (start > 0) out += "… ";
  size_t pos = start;
  for (const auto& [a, b] : h.highlights) {
    if (b <= start || a >= end) continue;
    size_t aa = std::max(a, start), bb = std::min(b, end);
    out.append(t, pos, aa - pos);
    if (color) out += kMatch;
    out.append(t, aa, bb - aa);
    if (color) out += kReset;
    pos = bb;
  }
  out.append(t, pos, end - pos);
  if (cut) out += " …";
  return out;
}

}  // namespace

std::string render_card(const model::Hit& h, int index, const std::string& doc_path, bool color,
                        size_t max_passage_bytes) {
  auto b = [&](const std::string& s) { return color ? fmt::format("{}{}{}", kBold, s, kReset) : s; };
  auto dim = [&](const std::string& s) { return color ? fmt::format("{}{}{}", kDim, s, kReset) : s; };
  std::string page_line;
  if (h.page > 0) {
    page_line = fmt::format("Page {}", h.page);
    if (!h.page_label.empty()) page_line += fmt::format(" (printed {})", h.page_label);
    if (h.page_end > h.page) page_line += fmt::format("–{}", h.page_end);
  } else {
    page_line = h.title.empty() ? h.source : h.title;
  }
  std::string out;
  out += fmt::format("{} {}   ↗ View in doc context: {}\n", dim(fmt::format("[{}]", index)), b(page_line), doc_path);
  if (h.page > 0) {
    out += fmt::format("{}{}\n", dim("page      "),
                       h.page_label.empty() ? std::to_string(h.page)
                                            : fmt::format("{} (label \"{}\")", h.page, h.page_label));
  }
  out += fmt::format("{}{}\n", dim("source    "), h.source);
  out += fmt::format("{}{}\n", dim("chunk_id  "), h.chunk_id);
  std::string product = h.product_name.empty() ? h.product : h.product_name;
  out += fmt::format("{}{} {} · {}{}\n", dim("doc       "), product, h.version, h.title,
                     h.vendor.empty() ? "" : fmt::format(" ({})", h.vendor));
  if (!h.heading_path.empty()) out += fmt::format("{}{}\n", dim("section   "), str::join(h.heading_path, " › "));
  if (!h.also_in_versions.empty()) {
    out += fmt::format("{}{}\n", dim("also in   "), str::join(h.also_in_versions, ", "));
  }
  out += fmt::format("{}{:.3f}\n", dim("score     "), h.score);
  out += passage(h, color, max_passage_bytes);
  out += "\n";
  return out;
}

void ProgressBar::draw(size_t done, size_t total, double elapsed, const std::string& text) {
  constexpr int kWidth = 28;
  double frac = total ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  int fill = static_cast<int>(frac * kWidth);
  std::string bar(static_cast<size_t>(fill), '=');
  if (fill < kWidth) bar += '>';
  bar.resize(kWidth, ' ');
  std::string eta = "--:--";
  if (done > 0 && done < total) {
    int secs = static_cast<int>(elapsed / static_cast<double>(done) * static_cast<double>(total - done));
    eta = fmt::format("{}:{:02}", secs / 60, secs % 60);
  } else if (done == total) {
    eta = "0:00";
  }
  std::fprintf(stderr, "\r\x1b[2K[%s] %s · ETA %s", bar.c_str(), text.c_str(), eta.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::update(const app::IngestProgress& p) {
  if (!enabled_) return;
  // Redraw at most ~10 times a second, and always for the last file.
  if (p.done != p.total && last_draw_ >= 0 && p.elapsed - last_draw_ < 0.1) return;
  last_draw_ = p.elapsed;
  double pps = p.elapsed > 0 ? static_cast<double>(p.pages) / p.elapsed : 0;
  std::string name = p.current;
  if (name.size() > 40) {
    size_t from = name.size() - 39;
    while (from < name.size() && (static_cast<unsigned char>(name[from]) & 0xC0) == 0x80) ++from;
    name = "…" + name.substr(from);
  }
  draw(p.done, p.total, p.elapsed, fmt::format("{}/{} files · {:.0f} pages/s · {}", p.done, p.total, pps, name));
}

void ProgressBar::update_embedding(size_t done, size_t total) {
  if (!enabled_) return;
  const double now = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  if (embed_start_ < 0) embed_start_ = now;
  const double elapsed = now - embed_start_;
  double rate = elapsed > 0 ? static_cast<double>(done) / elapsed : 0;
  draw(done, total, elapsed, fmt::format("embedding {}/{} passages · {:.0f}/s", done, total, rate));
}

void ProgressBar::finish() {
  if (drawn_) {
    std::fprintf(stderr, "\r\x1b[2K");
    std::fflush(stderr);
  }
}

}  // namespace mcdewey::cli
