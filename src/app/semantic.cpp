// The semantic half of Library (library.h): the embedder, its recorded identity and state,
// embedding passages after ingest, the derived vector index, and mode dispatch for search.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string_view>
#include <thread>

#include <fmt/format.h>

#include "app/library.h"
#include "common/log.h"
#include "vector/index_file.h"

namespace mcdewey::app {

namespace stdfs = std::filesystem;

namespace {

constexpr const char* kNameKey = "embedder.name";
constexpr const char* kDimsKey = "embedder.dims";
constexpr const char* kFingerprintKey = "embedder.fingerprint";
constexpr const char* kStateKey = "embedder.state";
constexpr const char* kModelFileKey = "embedder.model_file";  // absolute path of the built-in model used
constexpr const char* kAdaptKey = "embedder.adapt";  // built-in model: domain adaptation "1" or "0"
// The HTTP embedder's base URL (credentials removed) and model; the API key is never stored.
constexpr const char* kHttpUrlKey = "embedder.http_url";
constexpr const char* kHttpModelKey = "embedder.http_model";
constexpr std::string_view kHttpPrefix = "http:";  // HttpEmbedder identity names
constexpr size_t kEmbedBatch = 256;  // texts per embed() call

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// "http://user:secret@host:1234/v1" -> "http://host:1234/v1": what may be stored and shown.
std::string without_credentials(std::string url) {
  const size_t scheme = url.find("://");
  const size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  const size_t end = std::min(url.size(), url.find_first_of("/?#", start));
  const size_t at = url.substr(start, end - start).rfind('@');
  if (at != std::string::npos) url.erase(start, at + 1);
  return url;
}

}  // namespace

stdfs::path Library::index_path() const {
  return data_dir_ / "vectors" / (vector::model_file_stem(embedder_->identity().name) + ".idx");
}

Status Library::open_embedder(const LibraryOptions& options) {
  options_ = options;
  auto name = store_->meta(kNameKey);
  if (!name) return name.status();
  auto dims = store_->meta(kDimsKey);
  if (!dims) return dims.status();
  const bool recorded_http = name->rfind(kHttpPrefix, 0) == 0;
  if (options.custom_embedder) {
    embedder_ = options.custom_embedder;
  } else if (options.embedder == EmbedderChoice::kNone) {
    semantic_note_ = "semantic search is off (no embedder chosen)";
    return Status::ok();
  } else if (options.embedder == EmbedderChoice::kHttp ||
             (options.embedder == EmbedderChoice::kAuto && recorded_http && options.model_file.empty())) {
    // (kAuto with an explicit model file asks for the built-in model.)
    // The server is asked nothing here when the library recorded the model's dims, so a library
    // embedded over HTTP opens (and searches lexically) while its server is down.
    embed::HttpEmbedderOptions h = options.http;
    const std::string recorded_model = recorded_http ? name->substr(kHttpPrefix.size()) : "";
    if (recorded_http) {
      auto url = store_->meta(kHttpUrlKey);
      if (!url) return url.status();
      if (h.base_url.empty()) h.base_url = *url;
      if (h.model.empty()) {
        auto model = store_->meta(kHttpModelKey);
        if (!model) return model.status();
        h.model = model->empty() ? recorded_model : *model;
      }
      if (h.dims == 0 && h.model == recorded_model) h.dims = std::atoi(dims->c_str());
    }
    if (h.base_url.empty() || h.model.empty()) {
      const std::string what = h.base_url.empty() && h.model.empty() ? "a base URL and a model"
                               : h.base_url.empty()                 ? "a base URL"
                                                                    : "a model";
      const std::string msg = fmt::format(
          "{} needs {} (--embed-url URL, e.g. http://127.0.0.1:11434/v1, and --embed-model NAME, or "
          "MCDEWEY_EMBED_URL and MCDEWEY_EMBED_MODEL)",
          recorded_http ? fmt::format("this library was embedded over HTTP with {}; its embedding server", *name)
                        : std::string("the HTTP embedder"),
          what);
      if (options.embedder == EmbedderChoice::kHttp) return invalid_argument(msg);
      semantic_note_ = fmt::format("semantic search is off: {}", msg);
      return Status::ok();
    }
    auto e = embed::open_http_embedder(h);
    if (!e) {
      if (options.embedder == EmbedderChoice::kHttp) return e.status();
      semantic_note_ = fmt::format("semantic search is off: {}", e.status().message());
      return Status::ok();
    }
    http_url_ = without_credentials(h.base_url);
    http_model_ = h.model;
    embedder_ = std::shared_ptr<embed::Embedder>(std::move(e.value()));
  } else {
    auto recorded = store_->meta(kModelFileKey);
    if (!recorded) return recorded.status();
    auto path = embed::find_builtin_model({options.model_file, data_dir_, *recorded});
    embed::BuiltinOptions builtin = options.builtin;
    if (options.domain_adaptation) {
      builtin.domain_adaptation = *options.domain_adaptation;
    } else {
      auto recorded_adapt = recorded_adaptation();
      if (!recorded_adapt) return recorded_adapt.status();
      if (*recorded_adapt) builtin.domain_adaptation = **recorded_adapt;
    }
    auto e = path ? embed::open_builtin(*path, builtin) : Result<std::unique_ptr<embed::BuiltinEmbedder>>(path.status());
    if (!e) {
      if (options.embedder == EmbedderChoice::kBuiltin) return e.status();
      semantic_note_ = fmt::format("semantic search is off: {}", e.status().message());
      return Status::ok();
    }
    std::error_code ec;
    model_file_ = stdfs::absolute(*path, ec).lexically_normal();
    builtin_adapt_ = builtin.domain_adaptation;
    embedder_ = std::shared_ptr<embed::Embedder>(std::move(e.value()));
  }
  const embed::EmbedderIdentity id = embedder_->identity();
  if (name->empty()) return Status::ok();  // never embedded: the next ingest records it
  if (*name != id.name || *dims != std::to_string(id.dims)) {
    auto count = store_->embedding_count(*name);
    if (!count) return count.status();
    if (*count > 0 && !options.allow_embedder_change) {
      // The reembed command line that selects this same embedder.
      std::string how = fmt::format("mcdewey reembed --data {}", data_dir_.string());
      if (!http_model_.empty()) {
        how += fmt::format(" --embedder http --embed-url {} --embed-model {}", http_url_, http_model_);
      } else if (!model_file_.empty()) {
        how += " --embedder builtin";
        if (!options.model_file.empty()) how += fmt::format(" --model {}", model_file_.string());
      }
      return conflict(fmt::format(
          "the library at {} was embedded with {} ({} dims), but this McDewey uses {} ({} dims); run `{}` to "
          "re-embed it with {}, or use the original embedder",
          data_dir_.string(), *name, *dims, id.name, id.dims, how, id.name));
    }
    semantic_note_ = fmt::format("semantic search is off: the passages were embedded with {}; run `mcdewey reembed`",
                                 *name);
    return Status::ok();
  }
  auto blob = store_->blob(kStateKey);
  if (!blob) return blob.status();
  if (!blob->empty() || !embedder_->state_fingerprint().empty()) {
    Status st = embedder_->load_state(*blob);
    if (!st.is_ok()) {
      semantic_note_ = fmt::format("semantic search is off: cannot restore the embedder's learned state ({}); run "
                                   "`mcdewey reembed`",
                                   st.message());
      if (options.allow_embedder_change) return Status::ok();
      log::warn("{}", semantic_note_);
    }
  }
  return Status::ok();
}

Result<std::optional<bool>> Library::recorded_adaptation() {
  auto adapt = store_->meta(kAdaptKey);
  if (!adapt) return adapt.status();
  if (adapt->empty()) return std::optional<bool>();
  return std::optional<bool>(*adapt == "1");
}

Result<std::shared_ptr<const vector::VectorIndex>> Library::load_or_build_index(bool force_rebuild) {
  const embed::EmbedderIdentity id = embedder_->identity();
  auto sig = store_->embeddings_signature(id.name);
  if (!sig) return sig.status();
  const vector::IndexFileInfo expected{id.name, id.dims, 0, *sig};
  const stdfs::path path = index_path();
  if (!force_rebuild) {
    auto loaded = vector::load_index_file(path, expected, options_.hnsw);
    if (loaded) return loaded->index;
    if (loaded.status().code() != ErrorCode::kNotFound) {
      log::info("rebuilding the vector index: {}", loaded.status().message());
    }
  }
  std::vector<int64_t> ids;
  std::vector<float> vecs;
  MCD_TRY(store_->load_embeddings(id.name, id.dims, &ids, &vecs));
  if (ids.empty()) return std::shared_ptr<const vector::VectorIndex>();
  const size_t n = ids.size();
  auto exact = vector::ExactIndex::build(id.dims, std::move(ids), vecs);
  if (!exact) return exact.status();
  std::shared_ptr<const vector::ExactIndex> shared(std::move(exact.value()));
  std::shared_ptr<const vector::VectorIndex> index = shared;
  std::unique_ptr<vector::HnswIndex> graph;
  if (n >= options_.hnsw_min_vectors) {
    auto g = vector::HnswIndex::build(shared, options_.hnsw);
    if (!g) return g.status();
    graph = std::move(g.value());
  }
  Status saved = vector::save_index_file(path, {id.name, id.dims, n, *sig}, *shared, graph.get());
  // A read-only data directory still searches, from the index built in memory.
  if (!saved.is_ok()) log::warn("cannot save the vector index: {}", saved.message());
  if (graph) index = std::shared_ptr<const vector::VectorIndex>(std::move(graph));
  return index;
}

Result<std::shared_ptr<const vector::VectorIndex>> Library::vector_index() {
  if (!embedder_) return std::shared_ptr<const vector::VectorIndex>();
  std::lock_guard lock(index_mu_);
  if (!index_checked_) {
    auto idx = load_or_build_index(false);
    if (!idx) return idx.status();
    index_ = *idx;
    index_checked_ = true;
  }
  return index_;
}

Result<EmbedReport> Library::sync_embeddings(bool force_all, const EmbedProgressFn& progress) {
  EmbedReport report;
  if (!embedder_) return report;
  const embed::EmbedderIdentity id = embedder_->identity();
  auto t0 = std::chrono::steady_clock::now();
  auto all_texts = store_->chunk_texts(false, id.name);
  if (!all_texts) return all_texts.status();
  {
    // prepare() must not run beside embed_query() (embedder.h).
    std::unique_lock lock(embed_mu_);
    std::vector<std::string_view> views;
    views.reserve(all_texts->size());
    for (const auto& t : *all_texts) views.push_back(t.text);
    MCD_TRY(embedder_->prepare(views));
  }
  report.prepare_seconds = seconds_since(t0);
  const std::string fingerprint = embedder_->state_fingerprint();
  auto name = store_->meta(kNameKey);
  if (!name) return name.status();
  auto dims = store_->meta(kDimsKey);
  if (!dims) return dims.status();
  auto old_fp = store_->meta(kFingerprintKey);
  if (!old_fp) return old_fp.status();
  report.reembedded_all =
      force_all || *name != id.name || *dims != std::to_string(id.dims) || *old_fp != fingerprint;

  std::vector<store::ChunkText> todo;
  if (report.reembedded_all) {
    MCD_TRY(store_->clear_embeddings());
    todo = std::move(all_texts.value());
  } else {
    auto missing = store_->chunk_texts(true, id.name);
    if (!missing) return missing.status();
    todo = std::move(missing.value());
  }

  t0 = std::chrono::steady_clock::now();
  const unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  const size_t round = kEmbedBatch * threads;
  for (size_t start = 0; start < todo.size(); start += round) {
    const size_t end = std::min(todo.size(), start + round);
    std::vector<std::vector<float>> vecs(end - start);
    std::vector<Status> errors(threads);
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        const size_t b = start + t * kEmbedBatch;
        if (b >= end) return;
        const size_t e = std::min(end, b + kEmbedBatch);
        std::vector<std::string> batch;
        for (size_t i = b; i < e; ++i) batch.push_back(todo[i].text);
        auto r = embedder_->embed(batch);
        if (!r) {
          errors[t] = r.status();
          return;
        }
        if (r->size() != batch.size()) {
          errors[t] = internal_error("the embedder returned the wrong number of vectors");
          return;
        }
        for (size_t i = 0; i < r->size(); ++i) {
          if ((*r)[i].size() != static_cast<size_t>(id.dims)) {
            errors[t] = internal_error(fmt::format("the embedder returned a {}-d vector, not {}-d", (*r)[i].size(), id.dims));
            return;
          }
          vecs[b - start + i] = std::move((*r)[i]);
        }
      });
    }
    for (auto& th : pool) th.join();
    for (const auto& e : errors) {
      if (!e.is_ok()) return Status(e.code(), fmt::format("embedding passages failed: {}", e.message()));
    }
    std::vector<int64_t> rows;
    rows.reserve(end - start);
    for (size_t i = start; i < end; ++i) rows.push_back(todo[i].row_id);
    MCD_TRY(store_->put_embeddings(id.name, rows, vecs));
    report.embedded += static_cast<int64_t>(rows.size());
    if (progress) progress(end, todo.size());
  }
  report.embed_seconds = seconds_since(t0);

  auto blob = embedder_->save_state();
  if (!blob) return blob.status();
  MCD_TRY(store_->set_blob(kStateKey, *blob));
  MCD_TRY(store_->set_meta(kFingerprintKey, fingerprint));
  MCD_TRY(store_->set_meta(kNameKey, id.name));
  MCD_TRY(store_->set_meta(kDimsKey, std::to_string(id.dims)));
  // Where to find this embedder again (a later open with EmbedderChoice::kAuto): the other
  // kind's record is cleared, so kAuto follows the embedder the vectors came from.
  if (!model_file_.empty()) {
    MCD_TRY(store_->set_meta(kModelFileKey, model_file_.string()));
    MCD_TRY(store_->set_meta(kAdaptKey, builtin_adapt_ ? "1" : "0"));
    MCD_TRY(store_->set_meta(kHttpUrlKey, ""));
    MCD_TRY(store_->set_meta(kHttpModelKey, ""));
  } else if (!http_model_.empty()) {
    MCD_TRY(store_->set_meta(kHttpUrlKey, http_url_));
    MCD_TRY(store_->set_meta(kHttpModelKey, http_model_));
    MCD_TRY(store_->set_meta(kModelFileKey, ""));
  }

  t0 = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(index_mu_);
    auto idx = load_or_build_index(/*force_rebuild=*/report.embedded > 0);
    if (!idx) return idx.status();
    index_ = *idx;
    index_checked_ = true;
    semantic_note_.clear();
  }
  report.index_seconds = seconds_since(t0);
  return report;
}

Result<EmbedReport> Library::reembed(const EmbedProgressFn& progress) {
  if (!embedder_) {
    std::string note;
    {
      std::lock_guard lock(index_mu_);
      note = semantic_note_;
    }
    return unsupported(note.empty() ? "no embedder to re-embed with" : note);
  }
  return sync_embeddings(/*force_all=*/true, progress);
}

Status Library::after_ingest(IngestReport* report, const IngestOptions& options) {
  if (!embedder_ || !options.embed) {
    std::lock_guard lock(index_mu_);
    report->semantic_note = semantic_note_.empty() ? "passages not embedded (--no-embed)" : semantic_note_;
    return Status::ok();
  }
  const embed::EmbedderIdentity id = embedder_->identity();
  auto have = store_->embedding_count(id.name);
  if (!have) return have.status();
  auto chunks = store_->chunk_count();
  if (!chunks) return chunks.status();
  auto name = store_->meta(kNameKey);
  if (!name) return name.status();
  // The built-in model asked for another domain adaptation than the vectors were made with.
  bool adapt_changed = false;
  if (!model_file_.empty()) {
    auto adapt = recorded_adaptation();
    if (!adapt) return adapt.status();
    adapt_changed = *adapt && **adapt != builtin_adapt_;
  }
  if (report->ingested == 0 && report->pruned == 0 && *have == *chunks && *name == id.name && !adapt_changed) {
    return Status::ok();
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto r = sync_embeddings(false, options.embed_progress);
  if (!r) return r.status();
  report->embedded = r->embedded;
  report->embed_seconds = seconds_since(t0);
  return Status::ok();
}

SemanticStatus Library::semantic_status() {
  SemanticStatus s;
  if (auto c = store_->chunk_count()) s.chunks = *c;
  if (embedder_) {
    const auto id = embedder_->identity();
    s.embedder = id.name;
    s.dims = id.dims;
    if (auto n = store_->embedding_count(id.name)) s.embedded = *n;
    // What the stored vectors were made with (unknown for libraries embedded before it was recorded).
    if (auto adapt = recorded_adaptation(); adapt && !model_file_.empty()) s.domain_adaptation = *adapt;
  }
  std::lock_guard lock(index_mu_);
  s.note = semantic_note_;
  if (s.note.empty() && embedder_ && s.embedded == 0) {
    s.note = "semantic search is off: no passage is embedded yet (run `mcdewey ingest` or `mcdewey reembed`)";
  }
  s.available = s.note.empty() && embedder_ != nullptr;
  return s;
}

Result<model::SearchResponse> Library::search(const model::SearchRequest& request) {
  search::DenseSource dense;
  std::string note;
  if (embedder_) {
    {
      std::lock_guard lock(index_mu_);
      note = semantic_note_;
    }
    if (note.empty()) {
      auto idx = vector_index();
      if (!idx) return idx.status();
      if (*idx) {
        dense.embedder = embedder_.get();
        dense.index = *idx;
      } else {
        note = "semantic search is off: no passage is embedded yet (run `mcdewey reembed`)";
      }
    }
  } else {
    std::lock_guard lock(index_mu_);
    note = semantic_note_;
  }
  const bool have_dense = dense.index != nullptr;
  if (!have_dense && request.mode == model::SearchMode::kAuto && !noted_.exchange(true)) {
    log::warn("{}; searching lexically", note);
  }
  std::shared_lock lock(embed_mu_);
  auto r = hybrid_->search(request, have_dense ? &dense : nullptr);
  if (!r && have_dense && request.mode == model::SearchMode::kAuto) {
    // Auto means "hybrid when semantic search works": when the embedder fails (an HTTP
    // embedding server that is down), answer lexically rather than not at all; the response
    // says mode lexical.
    model::SearchRequest lexical = request;
    lexical.mode = model::SearchMode::kLexical;
    auto l = hybrid_->search(lexical, nullptr);
    if (l) {
      log::warn("semantic search failed ({}); searched lexically", r.status().message());
      return l;
    }
  }
  if (!r && r.status().code() == ErrorCode::kUnsupported && !note.empty()) {
    return unsupported(fmt::format("{} search is unavailable: {}; use mode lexical",
                                   model::search_mode_name(request.mode), note));
  }
  return r;
}

}  // namespace mcdewey::app
