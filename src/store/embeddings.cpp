// The embeddings half of the Store (store.h "Embeddings"): vectors as float32 blobs keyed by
// chunk row, and binary blobs for the embedder's learned state.
#include <sqlite3.h>

#include <cstring>

#include <fmt/format.h>

#include "store/filter_sql.h"
#include "store/read_pool.h"
#include "store/sqlite.h"
#include "store/store.h"

namespace mcdewey::store {

namespace {

constexpr const char* kGenerationKey = "embeddings.generation";

// A statement with blob access, which Stmt does not offer; internal to this file.
class RawStmt {
 public:
  RawStmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &st_, nullptr) != SQLITE_OK) st_ = nullptr;
  }
  ~RawStmt() {
    if (st_) sqlite3_finalize(st_);
  }
  RawStmt(const RawStmt&) = delete;
  RawStmt& operator=(const RawStmt&) = delete;
  bool ok() const { return st_ != nullptr; }
  sqlite3_stmt* get() const { return st_; }
  Status error(std::string_view what) const {
    return internal_error(fmt::format("sqlite {}: {}", what, sqlite3_errmsg(db_)));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};


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
    RawStmt st(db_->handle(), "INSERT OR REPLACE INTO embeddings(chunk, model, vector) VALUES(?, ?, ?)");
    if (!st.ok()) return st.error("prepare");
    for (size_t i = 0; i < rows.size(); ++i) {
      sqlite3_reset(st.get());
      sqlite3_bind_int64(st.get(), 1, rows[i]);
      sqlite3_bind_text(st.get(), 2, model.data(), static_cast<int>(model.size()), SQLITE_STATIC);
      sqlite3_bind_blob(st.get(), 3, vectors[i].data(), static_cast<int>(vectors[i].size() * sizeof(float)),
                        SQLITE_STATIC);
      int rc = sqlite3_step(st.get());
      // A chunk deleted meanwhile (FOREIGN KEY) is simply not embedded.
      if (rc != SQLITE_DONE && (rc & 0xFF) != SQLITE_CONSTRAINT) return st.error("insert embedding");
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
  RawStmt st(db_->handle(), "SELECT chunk, vector FROM embeddings WHERE model = ? ORDER BY chunk");
  if (!st.ok()) return st.error("prepare");
  sqlite3_bind_text(st.get(), 1, model.data(), static_cast<int>(model.size()), SQLITE_STATIC);
  rows->clear();
  vectors->clear();
  const size_t bytes = static_cast<size_t>(dims) * sizeof(float);
  while (true) {
    int rc = sqlite3_step(st.get());
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return st.error("read embeddings");
    const void* blob = sqlite3_column_blob(st.get(), 1);
    if (static_cast<size_t>(sqlite3_column_bytes(st.get(), 1)) != bytes || !blob) {
      return corrupt(fmt::format("the stored vector of chunk row {} is not {} floats", sqlite3_column_int64(st.get(), 0),
                                 dims));
    }
    rows->push_back(sqlite3_column_int64(st.get(), 0));
    const size_t at = vectors->size();
    vectors->resize(at + static_cast<size_t>(dims));
    std::memcpy(vectors->data() + at, blob, bytes);
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
  RawStmt st(db_->handle(), "SELECT value FROM blobs WHERE key = ?");
  if (!st.ok()) return st.error("prepare");
  sqlite3_bind_text(st.get(), 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  int rc = sqlite3_step(st.get());
  if (rc == SQLITE_DONE) return std::string();
  if (rc != SQLITE_ROW) return st.error("read blob");
  const char* p = static_cast<const char*>(sqlite3_column_blob(st.get(), 0));
  return std::string(p ? p : "", static_cast<size_t>(sqlite3_column_bytes(st.get(), 0)));
}

Status Store::set_blob(const std::string& key, std::string_view value) {
  std::lock_guard lock(mu_);
  RawStmt st(db_->handle(), "INSERT OR REPLACE INTO blobs(key, value) VALUES(?, ?)");
  if (!st.ok()) return st.error("prepare");
  sqlite3_bind_text(st.get(), 1, key.data(), static_cast<int>(key.size()), SQLITE_STATIC);
  static const char kEmpty = 0;  // a zero-length blob needs a non-null pointer, else it binds NULL
  sqlite3_bind_blob(st.get(), 2, value.empty() ? &kEmpty : value.data(), static_cast<int>(value.size()),
                    SQLITE_STATIC);
  if (sqlite3_step(st.get()) != SQLITE_DONE) return st.error("write blob");
  return Status::ok();
}

}  // namespace mcdewey::store
