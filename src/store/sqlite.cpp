#include "store/sqlite.h"

#include <sqlite3.h>

#include <fmt/format.h>

namespace mcdewey::store {

Db::~Db() {
  if (db_) sqlite3_close_v2(db_);
}

Status Db::open(const std::string& path, bool read_only) {
  int flags = read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  flags |= SQLITE_OPEN_NOMUTEX;  // one connection per thread; the store serialises its own use
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close_v2(db_);
    db_ = nullptr;
    return io_error(fmt::format("cannot open database {}: {}", path, msg));
  }
  sqlite3_busy_timeout(db_, 10000);
  sqlite3_extended_result_codes(db_, 1);
  return Status::ok();
}

Status Db::exec(std::string_view sql) {
  char* err = nullptr;
  std::string s(sql);
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    switch (rc & 0xFF) {
      case SQLITE_CORRUPT:
      case SQLITE_NOTADB: return corrupt(fmt::format("database: {}", msg));
      case SQLITE_FULL:
      case SQLITE_IOERR:
      case SQLITE_READONLY:
      case SQLITE_CANTOPEN: return io_error(fmt::format("database: {}", msg));
      default: return internal_error(fmt::format("sqlite: {}", msg));
    }
  }
  return Status::ok();
}

Result<Stmt> Db::prepare(std::string_view sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &st, nullptr) != SQLITE_OK) {
    return internal_error(fmt::format("sqlite prepare: {}", sqlite3_errmsg(db_)));
  }
  return Stmt(db_, st);
}

int64_t Db::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
std::string Db::error_message() const { return db_ ? sqlite3_errmsg(db_) : "closed"; }

Stmt::~Stmt() {
  if (st_) sqlite3_finalize(st_);
}

Stmt& Stmt::bind(int i, std::string_view v) {
  sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
  return *this;
}
Stmt& Stmt::bind(int i, int64_t v) {
  sqlite3_bind_int64(st_, i, v);
  return *this;
}
Stmt& Stmt::bind(int i, double v) {
  sqlite3_bind_double(st_, i, v);
  return *this;
}
Stmt& Stmt::bind_null(int i) {
  sqlite3_bind_null(st_, i);
  return *this;
}

Stmt& Stmt::bind_pointer(int i, void* p, const char* type) {
  sqlite3_bind_pointer(st_, i, p, type, nullptr);
  return *this;
}

Stmt& Stmt::bind_blob(int i, std::string_view bytes) {
  static const char kEmpty = 0;  // a zero-length blob needs a non-null pointer, else it binds NULL
  sqlite3_bind_blob(st_, i, bytes.empty() ? &kEmpty : bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  return *this;
}

Result<bool> Stmt::step() {
  int rc = sqlite3_step(st_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string msg = sqlite3_errmsg(db_);
  if ((rc & 0xFF) == SQLITE_CORRUPT || (rc & 0xFF) == SQLITE_NOTADB) return corrupt(fmt::format("database: {}", msg));
  if ((rc & 0xFF) == SQLITE_ERROR && msg.find("fts5") != std::string::npos) {
    return invalid_argument(fmt::format("query: {}", msg));
  }
  if ((rc & 0xFF) == SQLITE_FULL || (rc & 0xFF) == SQLITE_IOERR || (rc & 0xFF) == SQLITE_READONLY) {
    return io_error(fmt::format("database: {}", msg));
  }
  return internal_error(fmt::format("sqlite: {}", msg));
}

Status Stmt::run() {
  while (true) {
    auto r = step();
    if (!r) return r.status();
    if (!*r) return Status::ok();
  }
}

void Stmt::reset() {
  sqlite3_reset(st_);
  sqlite3_clear_bindings(st_);
}

int64_t Stmt::col_int(int i) const { return sqlite3_column_int64(st_, i); }
double Stmt::col_double(int i) const { return sqlite3_column_double(st_, i); }
std::string Stmt::col_text(int i) const {
  const unsigned char* p = sqlite3_column_text(st_, i);
  int n = sqlite3_column_bytes(st_, i);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n)) : std::string();
}
std::string_view Stmt::col_blob(int i) const {
  const void* p = sqlite3_column_blob(st_, i);
  const int n = sqlite3_column_bytes(st_, i);
  return p ? std::string_view(static_cast<const char*>(p), static_cast<size_t>(n)) : std::string_view();
}
bool Stmt::col_is_null(int i) const { return sqlite3_column_type(st_, i) == SQLITE_NULL; }

Transaction::~Transaction() {
  if (open_) (void)db_.exec("ROLLBACK");
}
Status Transaction::begin() {
  MCD_TRY(db_.exec("BEGIN IMMEDIATE"));
  open_ = true;
  return Status::ok();
}
Status Transaction::commit() {
  MCD_TRY(db_.exec("COMMIT"));
  open_ = false;
  return Status::ok();
}

}  // namespace mcdewey::store
