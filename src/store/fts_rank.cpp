#include "store/fts_rank.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace mcdewey::store {

namespace {

constexpr int kColumns = 3;  // title, heading, body (schema.cpp)
constexpr int kBodyColumn = 2;

// Per-query statistics, computed on the first row and kept as FTS5 auxdata.
struct QueryStats {
  std::vector<double> idf;  // per phrase
  double avg_len[kColumns] = {0, 0, 0};
};

int count_row(const Fts5ExtensionApi*, Fts5Context*, void* user) {
  ++*static_cast<sqlite3_int64*>(user);
  return SQLITE_OK;
}

QueryStats* query_stats(const Fts5ExtensionApi* api, Fts5Context* fts, int scored, int* rc) {
  if (auto* s = static_cast<QueryStats*>(api->xGetAuxdata(fts, 0))) return s;
  auto* s = new QueryStats();
  sqlite3_int64 rows = 0;
  *rc = api->xRowCount(fts, &rows);
  for (int c = 0; *rc == SQLITE_OK && c < kColumns; ++c) {
    sqlite3_int64 tokens = 0;
    *rc = api->xColumnTotalSize(fts, c, &tokens);
    s->avg_len[c] = rows > 0 ? static_cast<double>(tokens) / static_cast<double>(rows) : 0.0;
  }
  int phrases = api->xPhraseCount(fts);
  if (scored > 0 && scored < phrases) phrases = scored;
  for (int p = 0; *rc == SQLITE_OK && p < phrases; ++p) {
    sqlite3_int64 hits = 0;
    *rc = api->xQueryPhrase(fts, p, &hits, count_row);
    const double n = static_cast<double>(hits), total = static_cast<double>(rows);
    s->idf.push_back(std::log(1.0 + (total - n + 0.5) / (n + 0.5)));
  }
  if (*rc != SQLITE_OK) {
    delete s;
    return nullptr;
  }
  *rc = api->xSetAuxdata(fts, s, [](void* p) { delete static_cast<QueryStats*>(p); });
  return *rc == SQLITE_OK ? s : nullptr;
}

double arg(int argc, sqlite3_value** argv, int i, double fallback) {
  return i < argc ? sqlite3_value_double(argv[i]) : fallback;
}

void mcd_rank(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  int rc = SQLITE_OK;
  const int scored = argc > 8 ? sqlite3_value_int(argv[8]) : 0;
  QueryStats* stats = query_stats(api, fts, scored, &rc);
  if (stats == nullptr) {
    sqlite3_result_error_code(ctx, rc == SQLITE_OK ? SQLITE_ERROR : rc);
    return;
  }
  const double weight[kColumns] = {arg(argc, argv, 0, 0.0), arg(argc, argv, 1, 0.15), arg(argc, argv, 2, 1.0)};
  const double k1 = arg(argc, argv, 3, 1.2), b = arg(argc, argv, 4, 0.4);
  const double window = arg(argc, argv, 5, 50), proximity = arg(argc, argv, 6, 2.0);
  const double bigram = arg(argc, argv, 9, 0.5);
  if (argc > 7) {
    if (auto* counter = static_cast<sqlite3_int64*>(sqlite3_value_pointer(argv[7], kRankCounterType))) ++*counter;
  }

  const int phrases = static_cast<int>(stats->idf.size());
  std::vector<int> tf(static_cast<size_t>(phrases) * kColumns, 0);
  std::vector<std::pair<int, int>> body;  // (offset, phrase) in the body column
  int inst = 0;
  rc = api->xInstCount(fts, &inst);
  for (int i = 0; rc == SQLITE_OK && i < inst; ++i) {
    int phrase = 0, col = 0, off = 0;
    rc = api->xInst(fts, i, &phrase, &col, &off);
    if (rc != SQLITE_OK || phrase < 0 || phrase >= phrases || col < 0 || col >= kColumns) continue;
    ++tf[static_cast<size_t>(phrase) * kColumns + col];
    if (col == kBodyColumn) body.emplace_back(off, phrase);
  }
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }

  double score = 0;
  for (int c = 0; c < kColumns; ++c) {
    if (weight[c] == 0) continue;
    int len = 0;
    if (api->xColumnSize(fts, c, &len) != SQLITE_OK) continue;
    const double norm = stats->avg_len[c] > 0 ? static_cast<double>(len) / stats->avg_len[c] : 1.0;
    for (int p = 0; p < phrases; ++p) {
      const double f = tf[static_cast<size_t>(p) * kColumns + c];
      if (f == 0) continue;
      score += weight[c] * stats->idf[p] * f * (k1 + 1) / (f + k1 * (1 - b + b * norm));
    }
  }

  std::sort(body.begin(), body.end());  // by offset, for both terms below
  // Proximity: slide a window over the body's matches; the best window's distinct-phrase idf.
  if (proximity > 0 && body.size() > 1) {
    std::vector<int> in_window(static_cast<size_t>(phrases), 0);
    double sum = 0, best = 0;
    size_t lo = 0;
    for (size_t hi = 0; hi < body.size(); ++hi) {
      if (in_window[body[hi].second]++ == 0) sum += stats->idf[body[hi].second];
      while (body[lo].first < body[hi].first - window) {
        if (--in_window[body[lo].second] == 0) sum -= stats->idf[body[lo].second];
        ++lo;
      }
      best = std::max(best, sum);
    }
    score += proximity * best;
  } else if (proximity > 0 && body.size() == 1) {
    score += proximity * stats->idf[body[0].second];
  }
  // Ordered pairs: query words i and i+1 found in that order within 3 tokens (stop words
  // dropped from the query sit between them in the text), each pair counted once.
  if (bigram > 0 && body.size() > 1) {
    std::vector<char> seen(static_cast<size_t>(phrases), 0);
    for (size_t i = 0; i < body.size(); ++i) {
      const int p = body[i].second;
      if (p + 1 >= phrases || seen[static_cast<size_t>(p)]) continue;
      for (size_t j = i + 1; j < body.size() && body[j].first <= body[i].first + 3; ++j) {
        if (body[j].second == p + 1) {
          seen[static_cast<size_t>(p)] = 1;
          score += bigram * (stats->idf[static_cast<size_t>(p)] + stats->idf[static_cast<size_t>(p) + 1]);
          break;
        }
      }
    }
  }
  sqlite3_result_double(ctx, score);
}

}  // namespace

Status register_rank_function(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &st, nullptr) != SQLITE_OK) {
    return internal_error(std::string("FTS5 is not available: ") + sqlite3_errmsg(db));
  }
  sqlite3_bind_pointer(st, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(st);
  sqlite3_finalize(st);
  if (api == nullptr || api->iVersion < 2) return internal_error("this SQLite's FTS5 API is too old");
  if (api->xCreateFunction(api, "mcd_rank", nullptr, mcd_rank, nullptr) != SQLITE_OK) {
    return internal_error(std::string("cannot register mcd_rank: ") + sqlite3_errmsg(db));
  }
  return {};
}

}  // namespace mcdewey::store
