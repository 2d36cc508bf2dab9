#include <chrono>
#include <fstream>
#include <iostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/library.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/library_options.h"
#include "cli/terminal.h"

namespace mcdewey::cli {

namespace {

struct SearchArgs {
  std::string query;
  model::SearchFilters filters;
  int limit = 10;
  bool json = false;
  std::string batch;
  int passage_chars = 600;
  std::string mode = "auto";
  model::SearchMode mode_value = model::SearchMode::kAuto;
  EmbedArgs embed;
  // Hybrid tuning (benchmarks; the defaults are what measured best on DEV).
  std::string fusion;
  std::vector<double> weights;
  double rrf_k = 0;
  int candidates = 0;
  int term_candidates = -1;
  double term_threshold = -1;
  std::vector<double> term_window;  // tokens, share
  std::vector<double> bm25;  // k1, b
  double proximity = -1;
  double heading_weight = -1;
  double common_share = -1;
  double bigram = -1;
};

nlohmann::json hit_json(const model::Hit& h) {
  return {{"chunk_id", h.chunk_id},
          {"source", h.source},
          {"page", h.page},
          {"page_end", h.page_end},
          {"page_label", h.page_label},
          {"heading_path", h.heading_path},
          {"vendor", h.vendor},
          {"product", h.product},
          {"product_name", h.product_name},
          {"version", h.version},
          {"doc", h.doc},
          {"title", h.title},
          {"score", h.score},
          {"also_in_versions", h.also_in_versions},
          {"text", h.text}};
}

// --batch: one JSON object per input line with "id" and "question"; one result line each.
// The output format is what benchmarks consume; keep it stable.
int run_batch(app::Library& lib, const SearchArgs& a) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (a.batch != "-") {
    file.open(a.batch);
    if (!file) return fail(fmt::format("cannot open {}", a.batch));
    in = &file;
  }
  std::string line;
  int line_no = 0, errors = 0;
  while (std::getline(*in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json out;
    auto q = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (q.is_discarded() || !q.is_object()) {
      out = {{"id", nullptr}, {"line", line_no}, {"error", "not a JSON object"}};
    } else if (!q.contains("question") || !q["question"].is_string()) {
      out = {{"id", q.value("id", nlohmann::json())}, {"line", line_no}, {"error", "missing string \"question\""}};
    } else {
      model::SearchRequest req;
      req.query = q["question"].get<std::string>();
      req.filters = a.filters;
      req.limit = a.limit;
      req.mode = a.mode_value;
      auto resp = lib.search(req);
      out["id"] = q.value("id", nlohmann::json());
      if (!resp) {
        out["error"] = resp.status().message();
        out["results"] = nlohmann::json::array();
      } else {
        nlohmann::json results = nlohmann::json::array();
        for (const auto& h : resp->hits) {
          results.push_back({{"chunk_id", h.chunk_id},
                             {"source", h.source},
                             {"page", h.page},
                             {"page_end", h.page_end},
                             {"heading_path", h.heading_path},
                             {"text", h.text},
                             {"score", h.score}});
        }
        out["results"] = std::move(results);
        out["took_ms"] = resp->took_ms;
      }
    }
    if (out.contains("error")) ++errors;
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  std::cout.flush();
  if (errors) std::fprintf(stderr, "mcdewey: %d of %d batch lines had errors\n", errors, line_no);
  return errors ? kExitPartial : kExitOk;
}

}  // namespace

Runner add_search(CLI::App& app, GlobalOptions& g) {
  auto a = std::make_shared<SearchArgs>();
  CLI::App* sub = app.add_subcommand("search", "Search the library (hybrid: BM25 + semantic) and print result cards");
  sub->footer(
      "Query syntax:\n"
      "  bgp timer                 any of the words; more matches rank higher\n"
      "  \"zone transfer\"           a phrase\n"
      "  product:bind9 dnssec      filters in the query: vendor:, product:, version:, doc:\n"
      "  A long query searches its first 64 distinct words and 16 phrases.\n"
      "Modes (--mode): hybrid fuses BM25 and semantic (vector) ranks; lexical is BM25 alone;\n"
      "semantic is vectors alone; auto (the default) is hybrid when the library has embeddings.\n"
      "Batch mode reads JSON lines {\"id\": ..., \"question\": ...} and writes\n"
      "  {\"id\": ..., \"results\": [{chunk_id, source, page, page_end, heading_path, text, score}]}\n"
      "Examples:\n"
      "  mcdewey search \"How do I undo a commit?\" --product git\n"
      "  mcdewey search --batch queries.jsonl --limit 10 > results.jsonl");
  add_data_option(*sub, g);
  sub->add_option("query", a->query, "What to look for")->type_name("QUERY");
  sub->add_option("--vendor", a->filters.vendor, "Only this vendor (case-insensitive, part of the name is enough)");
  sub->add_option("--product", a->filters.product, "Only this product slug");
  sub->add_option("--version", a->filters.version, "Only this version slug");
  sub->add_option("--doc", a->filters.doc, "Only this doc slug");
  sub->add_option("-n,--limit", a->limit, "Number of results (default 10)")->check(CLI::Range(1, 1000));
  sub->add_flag("--json", a->json, "Print JSON instead of cards");
  sub->add_option("--batch", a->batch, "Run every query of a JSON-lines file ('-' for stdin)")->type_name("FILE");
  sub->add_option("--passage-chars", a->passage_chars, "Passage length shown on cards (default 600)")
      ->check(CLI::Range(40, 100000));
  sub->add_option("--mode", a->mode, "auto, hybrid, lexical or semantic (default auto)")
      ->check(CLI::IsMember({"auto", "hybrid", "lexical", "semantic"}))
      ->type_name("MODE");
  add_embedder_options(*sub, a->embed);
  const std::string tuning = "Hybrid tuning";
  sub->add_option("--fusion", a->fusion, "How hybrid fuses its rankings: score (min-max, the default) or rrf (reciprocal rank)")
      ->check(CLI::IsMember({"rrf", "score"}))
      ->group(tuning);
  sub->add_option("--weights", a->weights, "Fusion weights LEXICAL,DENSE[,TERMS] (default 1,0.2,1)")
      ->delimiter(',')
      ->expected(2, 3)
      ->type_name("L,D[,T]")
      ->group(tuning);
  sub->add_option("--rrf-k", a->rrf_k, "RRF constant k (default 60)")->check(CLI::Range(1.0, 1000.0))->group(tuning);
  sub->add_option("--candidates", a->candidates, "Candidates per engine before fusion (default 100)")
      ->check(CLI::Range(10, 1000))
      ->group(tuning);
  sub->add_option("--term-candidates", a->term_candidates,
                  "Lexical candidates reranked by term-level matching (default 50; 0 = none)")
      ->check(CLI::Range(0, 1000))
      ->group(tuning);
  sub->add_option("--term-threshold", a->term_threshold, "Cosine below which two words do not match (default 0.6)")
      ->check(CLI::Range(0.0, 0.99))
      ->group(tuning);
  sub->add_option("--term-window", a->term_window,
                  "Term matching's soft-proximity window in tokens and its share of the score (default 50,0.5; 0,0 = whole passage only)")
      ->delimiter(',')
      ->expected(2)
      ->type_name("TOKENS,SHARE")
      ->group(tuning);
  sub->add_option("--bm25", a->bm25, "BM25 parameters K1,B (default 1.2,0.4)")->delimiter(',')->expected(2)->type_name("K1,B")->group(tuning);
  sub->add_option("--proximity", a->proximity, "Weight of the term-proximity bonus (default 2; 0 = plain BM25)")
      ->check(CLI::Range(0.0, 100.0))
      ->group(tuning);
  sub->add_option("--common-share", a->common_share,
                  "Words in more than this share of chunks only add to scores when rarer words match (default 0.1; 1 = off)")
      ->check(CLI::Range(0.0, 1.0))
      ->group(tuning);
  sub->add_option("--bigram", a->bigram, "Weight of ordered query-word pairs found together (default 0.5)")
      ->check(CLI::Range(0.0, 100.0))
      ->group(tuning);
  sub->add_option("--heading-weight", a->heading_weight, "BM25 weight of the heading path (default 0.15)")
      ->check(CLI::Range(0.0, 100.0))
      ->group(tuning);

  return [a, &g]() -> int {
    if (a->batch.empty() && a->query.empty()) return fail("give a QUERY or --batch FILE (see mcdewey search --help)");
    if (!a->batch.empty() && !a->query.empty()) return fail("give either a QUERY or --batch FILE, not both");
    model::parse_search_mode(a->mode, &a->mode_value);
    if (a->embed.embedder == "none" && (a->mode_value == model::SearchMode::kSemantic ||
                                        a->mode_value == model::SearchMode::kHybrid)) {
      return fail(fmt::format("--mode {} needs an embedder; drop --embedder none", a->mode));
    }
    auto lib = open_library(g.data_dir, /*create=*/false, a->embed);
    if (!lib) return fail(lib.status().message());
    search::HybridOptions h = (*lib)->hybrid_options();
    if (a->fusion == "rrf") h.fusion = search::FusionMethod::kRrf;
    if (a->fusion == "score") h.fusion = search::FusionMethod::kScore;
    if (a->weights.size() >= 2) {
      h.lexical_weight = a->weights[0];
      h.dense_weight = a->weights[1];
    }
    if (a->weights.size() == 3) h.term_weight = a->weights[2];
    if (a->term_candidates >= 0) h.term_candidates = a->term_candidates;
    if (a->term_threshold >= 0) h.term_match.threshold = a->term_threshold;
    if (a->term_window.size() == 2) {
      if (a->term_window[0] < 0 || a->term_window[0] > 10000 || a->term_window[1] < 0 || a->term_window[1] > 1) {
        return fail("--term-window wants TOKENS in [0, 10000] and SHARE in [0, 1], e.g. 50,0.5");
      }
      h.term_match.window = static_cast<int>(a->term_window[0]);
      h.term_match.window_share = a->term_window[1];
    }
    if (a->rrf_k > 0) h.rrf_k = a->rrf_k;
    if (a->candidates > 0) h.candidates = a->candidates;
    (*lib)->set_hybrid_options(h);
    search::SearchOptions lo = (*lib)->lexical_options();
    if (a->bm25.size() == 2) {
      lo.rank.k1 = a->bm25[0];
      lo.rank.b = a->bm25[1];
    }
    if (a->proximity >= 0) lo.rank.proximity = a->proximity;
    if (a->heading_weight >= 0) lo.rank.heading = a->heading_weight;
    if (a->common_share >= 0) lo.common_share = a->common_share;
    if (a->bigram >= 0) lo.rank.bigram = a->bigram;
    (*lib)->set_lexical_options(lo);
    if (!a->batch.empty()) return run_batch(**lib, *a);

    model::SearchRequest req;
    req.query = a->query;
    req.filters = a->filters;
    req.limit = a->limit;
    req.mode = a->mode_value;
    auto resp = (*lib)->search(req);
    if (!resp) return fail(resp.status().message());
    if (a->json) {
      nlohmann::json results = nlohmann::json::array();
      for (const auto& h : resp->hits) results.push_back(hit_json(h));
      nlohmann::json out = {{"query", a->query},   {"total", resp->total},
                            {"took_ms", resp->took_ms}, {"mode", model::search_mode_name(resp->mode)},
                            {"results", results}};
      std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
      return kExitOk;
    }
    const bool color = use_color(stdout);
    const auto root = std::filesystem::absolute((*lib)->library_root()).lexically_normal();
    std::string more = resp->total_is_lower_bound ? "+" : "";
    std::printf("%s results for \"%s\" (%s, %.1f ms)\n\n", thousands(resp->total).append(more).c_str(),
                a->query.c_str(), model::search_mode_name(resp->mode), resp->took_ms);
    if (resp->hits.empty()) {
      std::printf("No matches. Try fewer or other words, or drop a filter.\n");
      return kExitOk;
    }
    int i = 0;
    for (const auto& h : resp->hits) {
      std::string where = (root / h.source).string();
      if (h.page > 0) where += fmt::format("  (page {})", h.page);
      std::printf("%s\n", render_card(h, ++i, where, color, static_cast<size_t>(a->passage_chars)).c_str());
    }
    return kExitOk;
  };
}

}  // namespace mcdewey::cli
