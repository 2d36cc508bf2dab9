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

// Redraws one progress line on stderr: bar, files, pages/s, ETA.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  void update(const app::IngestProgress& p);
  void finish();

 private:
  bool enabled_;
  bool drawn_ = false;
  double last_draw_ = -1;
};

}  // namespace mcdewey::cli
