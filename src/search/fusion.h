// Fusing a lexical and a dense ranked list into one (DESIGN.md "search": lexical top-N and
// dense top-N fused).
//
// kRrf (the default): weighted reciprocal-rank fusion, score = sum_i w_i / (k + rank_i),
// ranks from 1; robust because it ignores the two engines' incomparable score scales.
// kScore: each list's scores min-max normalised to [0, 1] (1 = the list's best), then
// score = w_lexical * lex + w_dense * dense, 0 for a list that lacks the item. Measured
// side by side on DEV (bench/dev_modes.sh); the defaults are what measured better.
#pragma once

#include <string>
#include <vector>

namespace mcdewey::search {

enum class FusionMethod { kRrf, kScore };

struct FusionParams {
  FusionMethod method = FusionMethod::kRrf;
  double lexical_weight = 1.0;
  double dense_weight = 1.0;
  double rrf_k = 60.0;  // the usual constant (Cormack et al. 2009); larger flattens the ranks
};

struct Candidate {
  std::string key;  // chunk id
  double score = 0; // the engine's own score, higher is better; lists are best first
};

struct Fused {
  std::string key;
  double score = 0;
  int lexical_rank = 0;  // 1-based; 0 when absent from that list
  int dense_rank = 0;
};

// Best first; ties break by key. Duplicate keys within a list keep their first (best) entry.
std::vector<Fused> fuse(const std::vector<Candidate>& lexical, const std::vector<Candidate>& dense,
                        const FusionParams& params);

}  // namespace mcdewey::search
