// RAII wrappers for sqlite3 handles (STYLE.md §2.13). Internal to the store module.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace mcdewey::store {

class Stmt;

class Db {
 public:
  Db() = default;
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  Db(Db&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }

  Status open(const std::string& path, bool read_only = false);
  Status exec(std::string_view sql);
  Result<Stmt> prepare(std::string_view sql);
  int64_t last_insert_rowid() const;
  std::string error_message() const;
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

class Stmt {
 public:
  Stmt(sqlite3* db, sqlite3_stmt* st) : db_(db), st_(st) {}
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  Stmt(Stmt&& o) noexcept : db_(o.db_), st_(o.st_) { o.st_ = nullptr; }

  // Binds are 1-based, as in sqlite3.
  Stmt& bind(int i, std::string_view v);
  Stmt& bind(int i, int64_t v);
  Stmt& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  Stmt& bind(int i, double v);
  Stmt& bind_null(int i);
  // Binds a C pointer for an extension function (sqlite3_bind_pointer); `type` names it.
  Stmt& bind_pointer(int i, void* p, const char* type);
  // Binds bytes as a BLOB (an empty one is a zero-length blob, not NULL); copied.
  Stmt& bind_blob(int i, std::string_view bytes);
  // Steps once: Result true when a row is ready, false when done.
  Result<bool> step();
  // Runs to completion (for statements without rows).
  Status run();
  void reset();

  int64_t col_int(int i) const;
  double col_double(int i) const;
  std::string col_text(int i) const;
  // A BLOB column's bytes, valid until the next step() or reset().
  std::string_view col_blob(int i) const;
  bool col_is_null(int i) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* st_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back unless commit() succeeds.
class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db) {}
  ~Transaction();
  Status begin();
  Status commit();

 private:
  Db& db_;
  bool open_ = false;
};

}  // namespace mcdewey::store
