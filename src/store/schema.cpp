#include "store/schema.h"

#include <fmt/format.h>

namespace mcdewey::store {

namespace {

// migrations[i] takes the database from user_version i to i + 1. Never edit a shipped
// entry; append a new one.
constexpr const char* kMigrations[] = {
    // 0 -> 1: the initial schema.
    R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE products (
  slug   TEXT PRIMARY KEY,
  vendor TEXT NOT NULL DEFAULT '',
  name   TEXT NOT NULL DEFAULT ''
);
-- One row per source file ("document file"); a doc of DESIGN.md is all rows sharing
-- (product, version, doc).
CREATE TABLE documents (
  id           INTEGER PRIMARY KEY,
  product      TEXT NOT NULL REFERENCES products(slug),
  version      TEXT NOT NULL,
  doc          TEXT NOT NULL,
  file         TEXT NOT NULL,
  title        TEXT NOT NULL DEFAULT '',
  format       TEXT NOT NULL,
  source       TEXT NOT NULL UNIQUE,  -- product/version/doc/file.md (canonical copy)
  original     TEXT NOT NULL,         -- library-relative path of the kept original
  origin       TEXT NOT NULL,         -- absolute path it was ingested from
  content_hash TEXT NOT NULL,
  pipeline     INTEGER NOT NULL,      -- extract::kPipelineVersion that produced it
  pages        INTEGER NOT NULL DEFAULT 0,
  bytes        INTEGER NOT NULL DEFAULT 0,
  chunk_count  INTEGER NOT NULL DEFAULT 0,
  ingested_at  TEXT NOT NULL,
  UNIQUE (product, version, doc, file)
);
CREATE INDEX documents_by_origin ON documents(origin);
CREATE TABLE chunks (
  id          INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  ordinal     INTEGER NOT NULL,
  chunk_id    TEXT NOT NULL UNIQUE,
  title       TEXT NOT NULL,  -- the document title (indexed with a higher weight)
  heading     TEXT NOT NULL,  -- heading path, one heading per line
  body        TEXT NOT NULL,
  page        INTEGER NOT NULL DEFAULT 0,
  page_end    INTEGER NOT NULL DEFAULT 0,
  page_label  TEXT NOT NULL DEFAULT '',
  byte_start  INTEGER NOT NULL,
  byte_end    INTEGER NOT NULL,
  words       INTEGER NOT NULL,
  UNIQUE (document_id, ordinal)
);
-- External-content FTS5 index over chunks, kept in step by triggers.
CREATE VIRTUAL TABLE chunks_fts USING fts5(
  title, heading, body,
  content = 'chunks', content_rowid = 'id',
  tokenize = 'porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER chunks_ai AFTER INSERT ON chunks BEGIN
  INSERT INTO chunks_fts(rowid, title, heading, body) VALUES (new.id, new.title, new.heading, new.body);
END;
CREATE TRIGGER chunks_ad AFTER DELETE ON chunks BEGIN
  INSERT INTO chunks_fts(chunks_fts, rowid, title, heading, body)
  VALUES ('delete', old.id, old.title, old.heading, old.body);
END;
)sql",
    // 1 -> 2: embeddings (DESIGN.md "index": vectors as blobs; the ANN file is derived) and
    // binary state (the embedder's learned state). An embedding goes with its chunk.
    R"sql(
CREATE TABLE embeddings (
  chunk  INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE,
  model  TEXT NOT NULL,   -- the embedder's name
  vector BLOB NOT NULL    -- dims float32, little-endian
);
CREATE TABLE blobs (
  key   TEXT PRIMARY KEY,
  value BLOB NOT NULL
);
)sql",
};

constexpr int kMigrationCount = static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));
static_assert(kMigrationCount == kSchemaVersion, "one migration per schema version");

}  // namespace

Status migrate(Db& db) {
  auto st = db.prepare("PRAGMA user_version");
  if (!st) return st.status();
  auto row = st->step();
  if (!row) return row.status();
  int version = static_cast<int>(st->col_int(0));
  if (version > kSchemaVersion) {
    return unsupported(fmt::format("the database has schema version {}, newer than this McDewey supports ({}); "
                                   "upgrade McDewey or use another --data directory",
                                   version, kSchemaVersion));
  }
  for (; version < kSchemaVersion; ++version) {
    Transaction tx(db);
    MCD_TRY(tx.begin());
    MCD_TRY(db.exec(kMigrations[version]));
    MCD_TRY(db.exec(fmt::format("PRAGMA user_version = {}", version + 1)));
    MCD_TRY(tx.commit());
  }
  return Status::ok();
}

}  // namespace mcdewey::store
