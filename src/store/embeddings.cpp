// The embeddings half of the Store (store.h "Embeddings"): vectors as float32 blobs keyed by
// chunk row, and binary blobs for the embedder's learned state.
#include <cstring>

#include <fmt/format.h>

#include "store/filter_sql.h"
#include "store/read_pool.h"
#include "store/sqlite.h"
#include "store/store.h"

namespace mcdewey::store {

namespace {

constexpr const char* kGenerationKey = "embeddings.generation";

}  // namespace

Result<std::vector<ChunkText>> Store::chunk_texts(bool missing_only, const std::string& model) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(missing_only ? "SELECT c.id, c.heading, c.body FROM chunks c WHERE NOT EXISTS "
                                        "(SELECT 1 FROM embeddings e WHERE e.chunk = c.id AND e.model = ?) ORDER BY c.id"
                                      : "SELECT c.id, c.heading, c.body FROM chunks c WHERE ? IS NOT NULL ORDER BY c.id");
  if (!st) return st.status();
  st->bind(1, model);
  std::vector<ChunkText> out;
  while (true) {
    auto r = st->step();
    if (!r) return r.status();
    if (!*r) break;
    ChunkText t;
    t.row_id = st->col_int(0);
    std::string heading = st->col_text(1);
    for (char& c : heading) {
      if (c == '\n') c = ';';
    }
    t.text = heading.empty() ? st->col_text(2) : heading + "\n" + st->col_text(2);
    out.push_back(std::move(t));
  }
  return out;
}

Status Store::put_embeddings(const std::string& model, const std::vector<int64_t>& rows,
                             const std::vector<std::vector<float>>& vectors) {
  if (rows.size() != vectors.size()) return invalid_argument("rows and vectors differ in number");
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  MCD_TRY(tx.begin());
  {
    // A chunk deleted meanwhile (by another ingest) is simply not embedded.
    auto st = db_->prepare(
        "INSERT OR REPLACE INTO embeddings(chunk, model, vector) SELECT ?1, ?2, ?3 "
        "WHERE EXISTS (SELECT 1 FROM chunks WHERE id = ?1)");
    if (!st) return st.status();
    for (size_t i = 0; i < rows.size(); ++i) {
      st->reset();
      const auto& v = vectors[i];
      st->bind(1, rows[i]).bind(2, model).bind_blob(3, std::string_view(reinterpret_cast<const char*>(v.data()),
                                                                        v.size() * sizeof(float)));
      MCD_TRY(st->run());
    }
  }
  MCD_TRY(bump_counter(*db_, kGenerationKey));
  return tx.commit();
}

Status Store::clear_embeddings() {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  MCD_TRY(tx.begin());
  MCD_TRY(db_->exec("DELETE FROM embeddings"));
  MCD_TRY(bump_counter(*db_, kGenerationKey));
  return tx.commit();
}

Result<int64_t> Store::embedding_count(const std::string& model) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("SELECT count(*) FROM embeddings WHERE model = ?");
  if (!st) return st.status();
  st->bind(1, model);
  auto r = st->step();
  if (!r) return r.status();
  return st->col_int(0);
}

Result<int64_t> Store::chunk_count() {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("SELECT count(*) FROM chunks");
  if (!st) return st.status();
  auto r = st->step();
  if (!r) return r.status();
  return st->col_int(0);
}

Status Store::load_embeddings(const std::string& model, int dims, std::vector<int64_t>* rows,
                              std::vector<float>* vectors) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("SELECT chunk, vector FROM embeddings WHERE model = ? ORDER BY chunk");
  if (!st) return st.status();
  st->bind(1, model);
  rows->clear();
  vectors->clear();
  const size_t bytes = static_cast<size_t>(dims) * sizeof(float);
  while (true) {
    auto r = st->step();
    if (!r) return r.status();
    if (!*r) break;
    const std::string_view blob = st->col_blob(1);
    if (blob.size() != bytes || blob.data() == nullptr) {
      return corrupt(fmt::format("the stored vector of chunk row {} is not {} floats", st->col_int(0), dims));
    }
    rows->push_back(st->col_int(0));
    const size_t at = vectors->size();
    vectors->resize(at + static_cast<size_t>(dims));
    std::memcpy(vectors->data() + at, blob.data(), bytes);
  }
  return Status::ok();
}

Result<std::string> Store::embeddings_signature(const std::string& model) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(
      "SELECT count(*), coalesce(sum(chunk), 0), coalesce(max(chunk), 0), "
      "(SELECT coalesce(max(value), '0') FROM meta WHERE key = ?) FROM embeddings WHERE model = ?");
  if (!st) return st.status();
  st->bind(1, std::string(kGenerationKey)).bind(2, model);
  auto r = st->step();
  if (!r) return r.status();
  return fmt::format("g{}-n{}-s{}-m{}", st->col_text(3), st->col_int(0), st->col_int(1), st->col_int(2));
}

Result<std::vector<int64_t>> Store::chunk_rows(const model::SearchFilters& filters) {
  const FilterSql f = filter_sql(filters);
  return read([&](Db& db) -> Result<std::vector<int64_t>> {
    auto st = db.prepare(
        "SELECT c.id FROM chunks c JOIN documents d ON d.id = c.document_id JOIN products p ON p.slug = d.product "
        "WHERE 1" + f.where);
    if (!st) return st.status();
    int i = 1;
    for (const auto& a : f.args) st->bind(i++, a);
    std::vector<int64_t> out;
    while (true) {
      auto r = st->step();
      if (!r) return r.status();
      if (!*r) break;
      out.push_back(st->col_int(0));
    }
    return out;
  });
}

Result<std::string> Store::blob(const std::string& key) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("SELECT value FROM blobs WHERE key = ?");
  if (!st) return st.status();
  st->bind(1, key);
  auto r = st->step();
  if (!r) return r.status();
  return *r ? std::string(st->col_blob(0)) : std::string();
}

Status Store::set_blob(const std::string& key, std::string_view value) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("INSERT OR REPLACE INTO blobs(key, value) VALUES(?, ?)");
  if (!st) return st.status();
  st->bind(1, key).bind_blob(2, value);
  return st->run();
}

}  // namespace mcdewey::store
