// Fusing ranked lists (lexical, dense, term-level matching) into one (DESIGN.md "search":
// lexical top-N and dense top-N fused).
//
// kScore (the default): each list's scores min-max normalised to [0, 1] (1 = the list's
// best, 0 = its worst), then score = sum_i w_i * norm_i, 0 for a list that lacks the item.
// kRrf: weighted reciprocal-rank fusion, score = sum_i w_i / (k + rank_i), ranks from 1;
// it ignores the engines' score scales, but also how far apart their scores are.
// Measured side by side on DEV (bench/dev_modes.sh, docs/design-notes.md "Hybrid ranking"):
// kScore with the default weights of HybridOptions beat kRrf at every weight tried.
#pragma once

#include <string>
#include <vector>

namespace mcdewey::search {

enum class FusionMethod { kRrf, kScore };

struct Candidate {
  std::string key;   // chunk id
  double score = 0;  // the engine's own score, higher is better; lists are best first
};

struct RankedList {
  std::vector<Candidate> items;
  double weight = 1.0;
};

struct Fused {
  std::string key;
  double score = 0;
  std::vector<int> ranks;  // per input list, 1-based; 0 when absent from that list
};

// Best first; ties break by key. Duplicate keys within a list keep their first (best) entry.
std::vector<Fused> fuse(const std::vector<RankedList>& lists, FusionMethod method, double rrf_k = 60.0);

}  // namespace mcdewey::search
