// mcd_rank: McDewey's FTS5 ranking function (an FTS5 auxiliary function in C).
//
//   SELECT rowid, mcd_rank(chunks_fts, w_title, w_heading, w_body, k1, b, window, proximity[, counter
//                          [, scored_phrases[, bigram]]])
//   FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY 2 DESC
//
// `counter`, optional, is a pointer bound with sqlite3_bind_pointer(..., kRankCounterType): an
// int64 that counts the rows ranked, i.e. the matches, so no second MATCH query is needed to
// report how many passages matched. `scored_phrases` > 0: only the expression's first that many
// phrases are scored; the others only select rows (0 = all phrases).
//
// Score = BM25 (per column, weighted, with tunable k1 and b; idf = ln(1 + (N - n + .5)/(n + .5)))
//       + proximity * (the largest idf sum of distinct query phrases found together within
//                      `window` tokens of the body)
//       + bigram * (sum over consecutive query words i, i+1 found in that order within 3 tokens
//                   of the body, once per pair, of idf_i + idf_i+1).
// Why not FTS5's bm25(): it fixes k1 = 1.2 and b = 0.75 and knows nothing of term proximity.
// Measured on DEV (bench/dev_search.sh), the proximity term is the biggest single gain for
// natural-language questions: a passage where the question's rare words sit together beats
// a long chunk that mentions them far apart.
#pragma once

#include <sqlite3.h>

#include "common/status.h"

namespace mcdewey::store {

inline constexpr const char* kRankCounterType = "mcd_rank_counter";

// Registers mcd_rank on `db` (once per connection).
Status register_rank_function(sqlite3* db);

}  // namespace mcdewey::store
