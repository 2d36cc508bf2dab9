// Semantic-search benchmark on a real library (issue 5): model and library load time, HNSW
// recall against the exact int8 scan on the library's own vectors, vector query latency, and
// peak RSS.
//
//   vector_recall DATA_DIR [--queries FILE.jsonl] [--samples N] [--model FILE]
//
// Queries: N passage vectors of the library drawn with a fixed seed, and (with --queries) the
// embedded questions of a JSON-lines file such as ../shared/bench/dev-queries.jsonl. For each
// ef_search tried, recall@10 and recall@100 = |HNSW top k ∩ exact top k| / k, averaged.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/library.h"
#include "embed/word_vectors.h"

namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * double(v.size() - 1) + 0.5))];
}

long peak_rss_kb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

int fail(const std::string& m) {
  std::fprintf(stderr, "vector_recall: %s\n", m.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mcdewey;
  if (argc < 2) return fail("usage: vector_recall DATA_DIR [--queries FILE.jsonl] [--samples N] [--model FILE]");
  std::string data = argv[1], queries_file, model;
  size_t samples = 1000;
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--queries") queries_file = argv[i + 1];
    else if (a == "--samples") samples = std::stoul(argv[i + 1]);
    else if (a == "--model") model = argv[i + 1];
    else return fail("unknown option " + a);
  }

  app::LibraryOptions lo;
  lo.embedder = app::EmbedderChoice::kBuiltin;
  lo.model_file = model;
  auto t0 = Clock::now();
  auto lib = app::Library::open(data, false, lo);
  if (!lib) return fail(lib.status().message());
  const double open_ms = ms_since(t0);
  t0 = Clock::now();
  auto idx = (*lib)->vector_index();
  if (!idx || !*idx) return fail(idx ? "the library has no embeddings" : idx.status().message());
  const double index_ms = ms_since(t0);
  auto* hnsw = dynamic_cast<const vector::HnswIndex*>(idx->get());
  std::shared_ptr<const vector::ExactIndex> exact;
  if (hnsw) {
    exact = std::shared_ptr<const vector::ExactIndex>(*idx, &hnsw->exact());
  } else {
    exact = std::dynamic_pointer_cast<const vector::ExactIndex>(*idx);
  }
  const app::SemanticStatus st = (*lib)->semantic_status();
  std::printf("library           %s: %zu vectors x %d dims (%s)\n", data.c_str(), exact->size(), exact->dims(),
              st.embedder.c_str());
  std::printf("open library      %.1f ms (model mmap + the embedder's learned state)\n", open_ms);
  std::printf("load vector index %.1f ms (%s, from DATA/vectors/)\n", index_ms, hnsw ? "HNSW graph" : "exact scan");
  if (!model.empty()) {
    t0 = Clock::now();
    auto wv = embed::WordVectors::open(model);
    if (wv) std::printf("model mmap alone  %.3f ms\n", ms_since(t0));
  }

  // Query vectors: sampled passages, then the embedded questions.
  std::vector<std::vector<float>> passages, questions;
  std::mt19937_64 rng(20261204);
  for (size_t i = 0; i < samples && exact->size() > 0; ++i) passages.push_back(exact->vector_at(rng() % exact->size()));
  if (!queries_file.empty()) {
    std::ifstream in(queries_file);
    std::string line;
    std::vector<double> embed_ms;
    while (std::getline(in, line)) {
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.contains("question")) continue;
      t0 = Clock::now();
      auto v = (*lib)->embedder()->embed_query(j["question"].get<std::string>());
      embed_ms.push_back(ms_since(t0));
      if (v) questions.push_back(std::move(v.value()));
    }
    std::printf("embed a question  median %.3f ms, p99 %.3f ms (%zu questions)\n", percentile(embed_ms, 0.5),
                percentile(embed_ms, 0.99), questions.size());
  }

  // Exact answers and latency.
  auto exact_run = [&](const std::vector<std::vector<float>>& qs, size_t k, std::vector<double>* lat) {
    std::vector<std::vector<int64_t>> out;
    for (const auto& q : qs) {
      auto t = Clock::now();
      auto r = exact->search(q, k);
      if (lat) lat->push_back(ms_since(t));
      std::vector<int64_t> ids;
      if (r) for (const auto& n : *r) ids.push_back(n.id);
      out.push_back(std::move(ids));
    }
    return out;
  };

  // One graph, saved once and loaded with each ef_search.
  vector::HnswParams base;
  std::shared_ptr<const vector::HnswIndex> graph;
  t0 = Clock::now();
  auto built = vector::HnswIndex::build(exact, base);
  if (!built) return fail(built.status().message());
  const double build_ms = ms_since(t0);
  const std::string tmp = (std::filesystem::temp_directory_path() / ("vector_recall_" + std::to_string(::getpid()) + ".hnsw")).string();
  if (auto s = (*built)->save_graph(tmp); !s.is_ok()) return fail(s.message());
  std::printf("build HNSW        %.0f ms (M=%d, ef_construction=%d, %s)\n\n", build_ms, base.m, base.ef_construction,
              "all cores");

  std::printf("%-10s %-8s %6s %9s %9s %10s %10s\n", "queries", "index", "ef", "recall@10", "recall@100", "p50 ms",
              "p99 ms");
  for (const auto* set : {&passages, &questions}) {
    if (set->empty()) continue;
    const char* name = set == &passages ? "passages" : "questions";
    std::vector<double> lat10;
    auto truth10 = exact_run(*set, 10, &lat10);
    auto truth100 = exact_run(*set, 100, nullptr);
    std::printf("%-10s %-8s %6s %9s %9s %10.3f %10.3f\n", name, "exact", "-", "1", "1", percentile(lat10, 0.5),
                percentile(lat10, 0.99));
    for (int ef : {64, 100, 160, 256, 400}) {
      vector::HnswParams p = base;
      p.ef_search = ef;
      auto g = vector::HnswIndex::load(exact, tmp, p);
      if (!g) return fail(g.status().message());
      double hit10 = 0, hit100 = 0;
      std::vector<double> lat;
      for (size_t i = 0; i < set->size(); ++i) {
        auto t = Clock::now();
        auto r10 = (*g)->search((*set)[i], 10);
        lat.push_back(ms_since(t));
        auto r100 = (*g)->search((*set)[i], 100);
        if (!r10 || !r100) return fail("search failed");
        for (const auto& n : *r10) hit10 += std::count(truth10[i].begin(), truth10[i].end(), n.id);
        for (const auto& n : *r100) hit100 += std::count(truth100[i].begin(), truth100[i].end(), n.id);
      }
      const double n = double(set->size());
      std::printf("%-10s %-8s %6d %9.4f %9.4f %10.3f %10.3f%s\n", name, "hnsw", ef, hit10 / (10 * n), hit100 / (100 * n),
                  percentile(lat, 0.5), percentile(lat, 0.99), ef == base.ef_search ? "   <- default" : "");
    }
  }
  std::filesystem::remove(tmp);
  std::printf("\npeak RSS          %.0f MB\n", double(peak_rss_kb()) / 1024.0);
  return 0;
}
