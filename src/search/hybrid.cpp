#include "search/hybrid.h"

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include <fmt/format.h>

#include "embed/tokenizer.h"
#include "search/query.h"
#include "search/versions.h"

namespace mcdewey::search {

namespace {

bool has_filters(const model::SearchFilters& f) {
  return !f.vendor.empty() || !f.product.empty() || !f.version.empty() || !f.doc.empty();
}

}  // namespace

Result<model::SearchResponse> HybridSearcher::search(const model::SearchRequest& request, const DenseSource* dense) {
  const auto t0 = std::chrono::steady_clock::now();
  const bool have_dense = dense && dense->embedder && dense->index;
  model::SearchMode mode = request.mode;
  if (mode == model::SearchMode::kAuto) mode = have_dense ? model::SearchMode::kHybrid : model::SearchMode::kLexical;
  if (mode != model::SearchMode::kLexical && !have_dense) {
    return unsupported(fmt::format(
        "{} search needs an embedder and embedded passages, and this library has none (get the built-in model "
        "with scripts/fetch-model.sh, then run `mcdewey reembed`); use mode lexical",
        model::search_mode_name(mode)));
  }
  const int limit = std::clamp(request.limit, 1, options_.max_limit);
  const int offset = std::max(request.offset, 0);
  const int want = offset + limit;
  const int depth = std::min(options_.max_limit, std::max(options_.candidates, 3 * want));

  const ParsedQuery parsed = parse_query(request.query);
  const model::SearchFilters filters = effective_filters(request.filters, parsed);
  const bool collapse = options_.collapse_versions && filters.version.empty();
  std::string fts = to_fts5(parsed);

  model::SearchResponse resp;
  resp.mode = mode;
  std::vector<model::Hit> lexical_hits;
  if (mode != model::SearchMode::kSemantic) {
    model::SearchRequest lex = request;
    lex.offset = 0;
    // Lexical alone still overfetches so that collapsing versions does not shorten the page.
    lex.limit = mode == model::SearchMode::kLexical ? std::min(options_.max_limit, collapse ? 3 * want : want) : depth;
    // Candidates for fusion get their highlights only if they make the page (below).
    auto r = lexical_.search(lex, /*highlight=*/mode == model::SearchMode::kLexical);
    if (!r) {
      // A query with no searchable words (only stop words, say) can still be embedded.
      if (mode == model::SearchMode::kLexical || r.status().code() != ErrorCode::kInvalidArgument) return r.status();
    } else {
      resp.total = r->total;
      resp.total_is_lower_bound = r->total_is_lower_bound;
      resp.effective_query = r->effective_query;
      lexical_hits = std::move(r->hits);
    }
  }

  std::vector<model::Hit> ranked;
  if (mode == model::SearchMode::kLexical) {
    ranked = std::move(lexical_hits);
  } else {
    const std::string& text = parsed.text;
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
      return invalid_argument("the query has no words to search for");
    }
    auto qv = dense->embedder->embed_query(text);
    if (!qv) return qv.status();
    std::unique_ptr<vector::IdFilter> allow;
    if (has_filters(filters)) {
      auto rows = store_.chunk_rows(filters);
      if (!rows) return rows.status();
      allow = std::make_unique<vector::IdFilter>(std::move(rows.value()));
    }
    auto nn = dense->index->search(*qv, static_cast<size_t>(depth), allow.get());
    if (!nn) return nn.status();
    std::vector<store::Match> matches;
    matches.reserve(nn->size());
    for (const auto& n : *nn) matches.push_back({n.id, n.score});
    // No highlights yet: only the hits that make the page get them (below).
    auto dense_hits = store_.hydrate(matches, "");
    if (!dense_hits) return dense_hits.status();

    if (mode == model::SearchMode::kSemantic) {
      ranked = std::move(dense_hits.value());
      resp.total = static_cast<int>(ranked.size());
      resp.total_is_lower_bound = static_cast<int>(ranked.size()) >= depth;
      resp.effective_query = fmt::format("semantic: {}", text);
    } else {
      std::vector<RankedList> lists(2);
      lists[0].weight = options_.lexical_weight;
      lists[1].weight = options_.dense_weight;
      for (const auto& h : lexical_hits) lists[0].items.push_back({h.chunk_id, h.score});
      for (const auto& h : *dense_hits) lists[1].items.push_back({h.chunk_id, h.score});
      if (options_.term_candidates > 0 && options_.term_weight > 0 && !lexical_hits.empty()) {
        std::vector<std::string> words;
        embed::for_each_token(text, [&](std::string_view t) {
          if (words.size() < kMaxQueryTerms && !is_function_word(t) &&
              std::find(words.begin(), words.end(), t) == words.end()) {
            words.emplace_back(t);
          }
        });
        auto matcher = dense->embedder->term_matcher(words, options_.term_match);
        if (matcher) {
          RankedList terms;
          terms.weight = options_.term_weight;
          const size_t n = std::min(lexical_hits.size(), static_cast<size_t>(options_.term_candidates));
          std::string passage;
          for (size_t i = 0; i < n; ++i) {
            const auto& h = lexical_hits[i];
            passage.clear();
            for (const auto& head : h.heading_path) passage.append(head).append("\n");
            passage += h.text;
            terms.items.push_back({h.chunk_id, matcher->score(passage)});
          }
          std::stable_sort(terms.items.begin(), terms.items.end(),
                           [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
          lists.push_back(std::move(terms));
        }
      }
      std::unordered_map<std::string, model::Hit*> by_id;
      for (auto& h : *dense_hits) by_id[h.chunk_id] = &h;
      for (auto& h : lexical_hits) by_id[h.chunk_id] = &h;
      for (const auto& f : fuse(lists, options_.fusion, options_.rrf_k)) {
        // Keys are unique after fuse(), so each hit is moved out once.
        model::Hit h = std::move(*by_id[f.key]);
        h.score = f.score;
        ranked.push_back(std::move(h));
      }
      resp.total = std::max(resp.total, static_cast<int>(ranked.size()));
    }
  }

  if (collapse) collapse_versions(&ranked);
  if (static_cast<int>(ranked.size()) > offset) {
    const auto end = ranked.begin() + std::min<ptrdiff_t>(static_cast<ptrdiff_t>(ranked.size()), want);
    resp.hits.assign(std::make_move_iterator(ranked.begin() + offset), std::make_move_iterator(end));
  }
  // Highlights for the hits on the page (fusion candidates were hydrated without them); a
  // page without them is still a page.
  if (mode != model::SearchMode::kLexical) (void)store_.highlight(&resp.hits, fts);
  resp.took_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return resp;
}

}  // namespace mcdewey::search
