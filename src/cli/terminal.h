// Terminal output: result cards, highlights, progress bars. Colour only on a terminal
// (and never when NO_COLOR is set).
#pragma once

#include <cstdio>
#include <string>

#include "app/ingest.h"
#include "model/search.h"

namespace mcdewey::cli {

bool is_tty(FILE* f);
bool use_color(FILE* f);

// "12,345"
std::string thousands(long long n);
// "1.2 MB"
std::string human_bytes(long long n);

// The seed card, as text. `index` is the 1-based rank; `doc_path` the canonical copy.
std::string render_card(const model::Hit& hit, int index, const std::string& doc_path, bool color,
                        size_t max_passage_bytes);

// Redraws one progress line on stderr: bar, files, pages/s, ETA; then, while passages are
// embedded, the same for passages.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  void update(const app::IngestProgress& p);
  // Embedding progress: `done` of `total` passages (after extraction).
  void update_embedding(size_t done, size_t total);
  void finish();

 private:
  // Draws "[bar] text" for `done` of `total` with an ETA from `elapsed` seconds.
  void draw(size_t done, size_t total, double elapsed, const std::string& text);

  bool enabled_;
  bool drawn_ = false;
  double last_draw_ = -1;
  double embed_start_ = -1;  // steady-clock seconds when embedding began
};

}  // namespace mcdewey::cli
