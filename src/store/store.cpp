#include "store/store.h"

#include <chrono>
#include <ctime>

#include <fmt/format.h>

#include "common/strings.h"
#include "store/filter_sql.h"
#include "store/read_pool.h"
#include "store/fts_rank.h"
#include "store/schema.h"
#include "store/sqlite.h"

namespace mcdewey::store {

namespace {

std::string now_utc() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::vector<std::string> split_heading(const std::string& h) {
  if (h.empty()) return {};
  return str::split(h, '\n');
}

constexpr const char* kHitColumns =
    "c.id, c.chunk_id, d.product, d.version, d.doc, d.file, d.title, p.vendor, p.name, c.heading, c.page, "
    "c.page_end, c.page_label, c.ordinal, c.body, c.byte_start, c.byte_end";

void read_hit(const Stmt& st, model::Hit* h, ChunkRow* row) {
  if (row) row->row_id = st.col_int(0);
  h->chunk_id = st.col_text(1);
  h->product = st.col_text(2);
  h->version = st.col_text(3);
  h->doc = st.col_text(4);
  h->file = st.col_text(5);
  h->source = model::DocFileKey{h->product, h->version, h->doc, h->file}.source();
  h->title = st.col_text(6);
  h->vendor = st.col_text(7);
  h->product_name = st.col_text(8);
  h->heading_path = split_heading(st.col_text(9));
  h->page = static_cast<int>(st.col_int(10));
  h->page_end = static_cast<int>(st.col_int(11));
  h->page_label = st.col_text(12);
  h->ordinal = static_cast<int>(st.col_int(13));
  h->text = st.col_text(14);
  if (row) {
    row->byte_start = static_cast<size_t>(st.col_int(15));
    row->byte_end = static_cast<size_t>(st.col_int(16));
  }
}

// highlight() output uses \x02 ... \x03 around matched tokens; strip them into ranges.
void apply_highlight(const std::string& marked, model::Hit* h) {
  std::string text;
  text.reserve(marked.size());
  size_t open = std::string::npos;
  for (char c : marked) {
    if (c == '\x02') {
      open = text.size();
    } else if (c == '\x03') {
      if (open != std::string::npos && text.size() > open) h->highlights.emplace_back(open, text.size());
      open = std::string::npos;
    } else {
      text += c;
    }
  }
  if (text == h->text) return;  // markers only; otherwise keep the plain text and no ranges
  h->highlights.clear();
}

}  // namespace

FilterSql filter_sql(const model::SearchFilters& f) {
  FilterSql out;
  auto add = [&](const std::string& value, const char* clause) {
    if (value.empty()) return;
    out.where += " AND ";
    out.where += clause;
    out.args.push_back(value);
  };
  add(f.vendor,
      "instr(' ' || replace(replace(replace(lower(p.vendor), '(', ' '), ')', ' '), ',', ' ') || ' ', "
      "' ' || replace(replace(replace(lower(trim(?)), '(', ' '), ')', ' '), ',', ' ') || ' ') > 0");
  add(f.product, "d.product = ?");
  add(f.version, "d.version = ?");
  add(f.doc, "d.doc = ?");
  return out;
}


Store::Store() = default;
Store::~Store() = default;


Result<std::unique_ptr<Store>> Store::open(const std::string& path) {
  std::unique_ptr<Store> s(new Store());
  s->path_ = path;
  s->db_ = std::make_unique<Db>();
  MCD_TRY(s->db_->open(path));
  // WAL: readers never block the writer; NORMAL sync is durable across app crashes.
  if (path != ":memory:") {
    Status wal = s->db_->exec("PRAGMA journal_mode=WAL");
    if (wal.code() == ErrorCode::kCorrupt) return corrupt(fmt::format("{} is not a McDewey database", path));
    MCD_TRY(wal);
  }
  MCD_TRY(s->db_->exec("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;"));
  auto check = s->db_->exec("SELECT count(*) FROM sqlite_master");
  if (!check.is_ok()) return corrupt(fmt::format("{} is not a McDewey database ({})", path, check.message()));
  MCD_TRY(migrate(*s->db_));
  MCD_TRY(register_rank_function(s->db_->handle()));
  return s;
}

Status Store::upsert_product(const ProductRow& p) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(
      "INSERT INTO products(slug, vendor, name) VALUES(?, ?, ?) "
      "ON CONFLICT(slug) DO UPDATE SET vendor = excluded.vendor, name = excluded.name "
      "WHERE excluded.vendor != '' OR excluded.name != ''");
  if (!st) return st.status();
  st->bind(1, p.slug).bind(2, p.vendor).bind(3, p.name);
  return st->run();
}

Result<std::vector<ProductRow>> Store::products() {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("SELECT slug, vendor, name FROM products ORDER BY slug");
  if (!st) return st.status();
  std::vector<ProductRow> out;
  while (true) {
    auto r = st->step();
    if (!r) return r.status();
    if (!*r) break;
    out.push_back({st->col_text(0), st->col_text(1), st->col_text(2)});
  }
  return out;
}

namespace {
constexpr const char* kChunksGenerationKey = "chunks.generation";
constexpr const char* kDocColumns =
    "id, product, version, doc, file, title, format, original, origin, content_hash, pipeline, pages, bytes, "
    "chunk_count, ingested_at";

DocumentRow read_doc(const Stmt& st) {
  DocumentRow d;
  d.id = st.col_int(0);
  d.key = {st.col_text(1), st.col_text(2), st.col_text(3), st.col_text(4)};
  d.title = st.col_text(5);
  d.format = st.col_text(6);
  d.original = st.col_text(7);
  d.origin = st.col_text(8);
  d.content_hash = st.col_text(9);
  d.pipeline = static_cast<int>(st.col_int(10));
  d.pages = static_cast<int>(st.col_int(11));
  d.bytes = st.col_int(12);
  d.chunk_count = static_cast<int>(st.col_int(13));
  d.ingested_at = st.col_text(14);
  return d;
}
}  // namespace

Result<std::optional<DocumentRow>> Store::find_document(const model::DocFileKey& key) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(fmt::format(
      "SELECT {} FROM documents WHERE product = ? AND version = ? AND doc = ? AND file = ?", kDocColumns));
  if (!st) return st.status();
  st->bind(1, key.product).bind(2, key.version).bind(3, key.doc).bind(4, key.file);
  auto r = st->step();
  if (!r) return r.status();
  if (!*r) return std::optional<DocumentRow>();
  return std::optional<DocumentRow>(read_doc(*st));
}

Result<std::vector<DocumentRow>> Store::documents() {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(fmt::format("SELECT {} FROM documents ORDER BY product, version, doc, file", kDocColumns));
  if (!st) return st.status();
  std::vector<DocumentRow> out;
  while (true) {
    auto r = st->step();
    if (!r) return r.status();
    if (!*r) break;
    out.push_back(read_doc(*st));
  }
  return out;
}

Result<std::vector<DocumentRow>> Store::doc_files(const std::string& product, const std::string& version,
                                                 const std::string& doc) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(fmt::format(
      "SELECT {} FROM documents WHERE product = ? AND version = ? AND doc = ? ORDER BY file", kDocColumns));
  if (!st) return st.status();
  st->bind(1, product).bind(2, version).bind(3, doc);
  std::vector<DocumentRow> out;
  while (true) {
    auto r = st->step();
    if (!r) return r.status();
    if (!*r) break;
    out.push_back(read_doc(*st));
  }
  return out;
}

Result<std::vector<ChunkSpanRow>> Store::chunk_spans(int64_t document_id) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(
      "SELECT chunk_id, ordinal, byte_start, byte_end, page, page_end FROM chunks WHERE document_id = ? "
      "ORDER BY ordinal");
  if (!st) return st.status();
  st->bind(1, document_id);
  std::vector<ChunkSpanRow> out;
  while (true) {
    auto r = st->step();
    if (!r) return r.status();
    if (!*r) break;
    out.push_back({st->col_text(0), static_cast<int>(st->col_int(1)), static_cast<size_t>(st->col_int(2)),
                   static_cast<size_t>(st->col_int(3)), static_cast<int>(st->col_int(4)),
                   static_cast<int>(st->col_int(5))});
  }
  return out;
}

Status Store::bump_counter(Db& db, const char* key) {
  auto st = db.prepare(
      "INSERT INTO meta(key, value) VALUES(?, '1') ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1");
  if (!st) return st.status();
  st->bind(1, key);
  return st->run();
}

Result<int64_t> Store::replace_document(const DocumentRow& row, const std::vector<model::Chunk>& chunks) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  MCD_TRY(tx.begin());
  {
    auto del = db_->prepare("DELETE FROM documents WHERE product = ? AND version = ? AND doc = ? AND file = ?");
    if (!del) return del.status();
    del->bind(1, row.key.product).bind(2, row.key.version).bind(3, row.key.doc).bind(4, row.key.file);
    MCD_TRY(del->run());
  }
  auto ins = db_->prepare(
      "INSERT INTO documents(product, version, doc, file, title, format, source, original, origin, content_hash, "
      "pipeline, pages, bytes, chunk_count, ingested_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!ins) return ins.status();
  ins->bind(1, row.key.product)
      .bind(2, row.key.version)
      .bind(3, row.key.doc)
      .bind(4, row.key.file)
      .bind(5, row.title)
      .bind(6, row.format)
      .bind(7, row.key.source())
      .bind(8, row.original)
      .bind(9, row.origin)
      .bind(10, row.content_hash)
      .bind(11, row.pipeline)
      .bind(12, row.pages)
      .bind(13, row.bytes)
      .bind(14, static_cast<int64_t>(chunks.size()))
      .bind(15, row.ingested_at.empty() ? now_utc() : row.ingested_at);
  MCD_TRY(ins->run());
  const int64_t doc_id = db_->last_insert_rowid();

  auto ch = db_->prepare(
      "INSERT INTO chunks(document_id, ordinal, chunk_id, title, heading, body, page, page_end, page_label, "
      "byte_start, byte_end, words) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
  if (!ch) return ch.status();
  for (const auto& c : chunks) {
    ch->reset();
    ch->bind(1, doc_id)
        .bind(2, c.ordinal)
        .bind(3, row.key.chunk_id(c.ordinal))
        .bind(4, row.title)
        .bind(5, str::join(c.heading_path, "\n"))
        .bind(6, c.text)
        .bind(7, c.page)
        .bind(8, c.page_end)
        .bind(9, c.page_label)
        .bind(10, static_cast<int64_t>(c.byte_start))
        .bind(11, static_cast<int64_t>(c.byte_end))
        .bind(12, c.words);
    MCD_TRY(ch->run());
  }
  MCD_TRY(bump_counter(*db_, kChunksGenerationKey));
  MCD_TRY(tx.commit());
  return doc_id;
}

Status Store::delete_document(int64_t id) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  MCD_TRY(tx.begin());
  auto st = db_->prepare("DELETE FROM documents WHERE id = ?");
  if (!st) return st.status();
  st->bind(1, id);
  MCD_TRY(st->run());
  MCD_TRY(bump_counter(*db_, kChunksGenerationKey));
  return tx.commit();
}

Status Store::drop_empty_products() {
  std::lock_guard lock(mu_);
  return db_->exec("DELETE FROM products WHERE slug NOT IN (SELECT DISTINCT product FROM documents)");
}

Result<std::vector<Match>> Store::match(const std::string& fts_query, const model::SearchFilters& filters,
                                        int limit, int offset, const RankParams& w, int* total, int scored_phrases) {
  return read([&](Db& db) -> Result<std::vector<Match>> {
    FilterSql f = filter_sql(filters);
    const bool need_join = !f.where.empty();
    const std::string from =
        need_join ? "chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid JOIN documents d ON d.id = c.document_id "
                    "JOIN products p ON p.slug = d.product"
                  : "chunks_fts";
    // Every match is ranked (ORDER BY the rank), so mcd_rank's counter is the match count.
    auto st = db.prepare(fmt::format(
        "SELECT chunks_fts.rowid, mcd_rank(chunks_fts, {}, {}, {}, {}, {}, {}, {}, ?, {}, {}) AS s FROM {} "
        "WHERE chunks_fts MATCH ?{} ORDER BY s DESC, chunks_fts.rowid LIMIT ? OFFSET ?",
        w.title, w.heading, w.body, w.k1, w.b, w.window, w.proximity, scored_phrases, w.bigram, from, f.where));
    if (!st) return st.status();
    sqlite3_int64 ranked = 0;
    int i = 1;
    st->bind_pointer(i++, &ranked, kRankCounterType);
    st->bind(i++, fts_query);
    for (const auto& a : f.args) st->bind(i++, a);
    st->bind(i, limit);
    st->bind(i + 1, offset);
    std::vector<Match> out;
    while (true) {
      auto r = st->step();
      if (!r) return r.status();
      if (!*r) break;
      out.push_back({st->col_int(0), st->col_double(1)});
    }
    if (total) *total = static_cast<int>(ranked);
    return out;
  });
}

Result<std::vector<int64_t>> Store::match_counts(const std::vector<std::string>& expressions, int64_t* chunks) {
  return read([&](Db& db) -> Result<std::vector<int64_t>> {
    auto v = db.prepare("SELECT coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = ?), 0)");
    if (!v) return v.status();
    v->bind(1, kChunksGenerationKey);
    auto r = v->step();
    if (!r) return r.status();
    const int64_t version = v->col_int(0);
    std::vector<int64_t> out(expressions.size(), -1);
    {
      std::lock_guard lock(cache_mu_);
      if (version != cache_generation_) {
        // The chunks changed since the last search: count them once (~1 ms at 29k chunks).
        auto c = db.prepare("SELECT count(*) FROM chunks");
        if (!c) return c.status();
        auto cr = c->step();
        if (!cr) return cr.status();
        match_counts_.clear();
        cache_generation_ = version;
        cache_chunks_ = c->col_int(0);
      }
      if (chunks) *chunks = cache_chunks_;
      for (size_t i = 0; i < expressions.size(); ++i) {
        if (auto it = match_counts_.find(expressions[i]); it != match_counts_.end()) out[i] = it->second;
      }
    }
    auto st = db.prepare("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?");
    if (!st) return st.status();
    for (size_t i = 0; i < expressions.size(); ++i) {
      if (out[i] >= 0) continue;
      st->reset();
      st->bind(1, expressions[i]);
      auto c = st->step();
      if (!c) return c.status();
      out[i] = *c ? st->col_int(0) : 0;
      std::lock_guard lock(cache_mu_);
      if (cache_generation_ != version) continue;  // another search saw a newer library
      if (match_counts_.size() > 100000) match_counts_.clear();
      match_counts_.emplace(expressions[i], out[i]);
    }
    return out;
  });
}

Result<std::vector<model::Hit>> Store::hydrate(const std::vector<Match>& matches, const std::string& fts_query) {
  return read([&](Db& db) -> Result<std::vector<model::Hit>> {
    auto st = db.prepare(fmt::format(
        "SELECT {} FROM chunks c JOIN documents d ON d.id = c.document_id JOIN products p ON p.slug = d.product "
        "WHERE c.id = ?",
        kHitColumns));
    if (!st) return st.status();
    std::optional<Stmt> hl;
    if (!fts_query.empty()) {
      auto h = db.prepare(
          "SELECT highlight(chunks_fts, 2, char(2), char(3)) FROM chunks_fts WHERE chunks_fts MATCH ? AND rowid = ?");
      if (!h) return h.status();
      hl.emplace(std::move(h.value()));
    }
    std::vector<model::Hit> out;
    out.reserve(matches.size());
    for (const auto& m : matches) {
      st->reset();
      st->bind(1, m.row_id);
      auto r = st->step();
      if (!r) return r.status();
      if (!*r) continue;  // deleted between match and hydrate
      model::Hit h;
      read_hit(*st, &h, nullptr);
      h.score = m.score;
      if (hl) {
        hl->reset();
        hl->bind(1, fts_query).bind(2, m.row_id);
        auto hr = hl->step();
        if (!hr) return hr.status();
        if (*hr) apply_highlight(hl->col_text(0), &h);
      }
      out.push_back(std::move(h));
    }
    return out;
  });
}

Status Store::highlight(std::vector<model::Hit>* hits, const std::string& fts_query) {
  if (fts_query.empty()) return Status::ok();
  return read([&](Db& db) -> Status {
    auto hl = db.prepare(
        "SELECT highlight(chunks_fts, 2, char(2), char(3)) FROM chunks_fts WHERE chunks_fts MATCH ? "
        "AND rowid = (SELECT id FROM chunks WHERE chunk_id = ?)");
    if (!hl) return hl.status();
    for (auto& h : *hits) {
      if (!h.highlights.empty()) continue;
      hl->reset();
      hl->bind(1, fts_query).bind(2, h.chunk_id);
      auto r = hl->step();
      if (!r) return r.status();
      if (*r) apply_highlight(hl->col_text(0), &h);
    }
    return Status::ok();
  });
}

Result<ChunkRow> Store::chunk(const std::string& chunk_id) {
  return read([&](Db& db) -> Result<ChunkRow> {
    auto st = db.prepare(fmt::format(
        "SELECT {} FROM chunks c JOIN documents d ON d.id = c.document_id JOIN products p ON p.slug = d.product "
        "WHERE c.chunk_id = ?",
        kHitColumns));
    if (!st) return st.status();
    st->bind(1, chunk_id);
    auto r = st->step();
    if (!r) return r.status();
    if (!*r) return not_found(fmt::format("no chunk '{}'", chunk_id));
    ChunkRow row;
    read_hit(*st, &row.hit, &row);
    return row;
  });
}

Result<LibraryStats> Store::stats() {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(
      "SELECT (SELECT count(DISTINCT vendor) FROM products WHERE vendor != '' AND slug IN "
      "(SELECT product FROM documents)), "
      "(SELECT count(DISTINCT product) FROM documents), "
      "(SELECT count(*) FROM (SELECT DISTINCT product, version FROM documents)), "
      "(SELECT count(*) FROM (SELECT DISTINCT product, version, doc FROM documents)), "
      "(SELECT count(*) FROM documents), "
      "(SELECT coalesce(sum(pages), 0) FROM documents), "
      "(SELECT count(*) FROM chunks), "
      "(SELECT coalesce(sum(words), 0) FROM chunks), "
      "(SELECT coalesce(sum(bytes), 0) FROM documents)");
  if (!st) return st.status();
  auto r = st->step();
  if (!r) return r.status();
  LibraryStats s;
  s.vendors = static_cast<int>(st->col_int(0));
  s.products = static_cast<int>(st->col_int(1));
  s.versions = static_cast<int>(st->col_int(2));
  s.docs = static_cast<int>(st->col_int(3));
  s.files = static_cast<int>(st->col_int(4));
  s.pages = st->col_int(5);
  s.chunks = st->col_int(6);
  s.words = st->col_int(7);
  s.source_bytes = st->col_int(8);
  return s;
}

Result<std::vector<DocSummary>> Store::doc_summaries() {
  std::lock_guard lock(mu_);
  auto st = db_->prepare(
      "SELECT p.vendor, d.product, p.name, d.version, d.doc, min(d.title), count(*), sum(d.chunk_count), "
      "sum(d.pages) FROM documents d JOIN products p ON p.slug = d.product "
      "GROUP BY d.product, d.version, d.doc ORDER BY p.vendor, d.product, d.version, d.doc");
  if (!st) return st.status();
  std::vector<DocSummary> out;
  while (true) {
    auto r = st->step();
    if (!r) return r.status();
    if (!*r) break;
    DocSummary s;
    s.vendor = st->col_text(0);
    s.product = st->col_text(1);
    s.product_name = st->col_text(2);
    s.version = st->col_text(3);
    s.doc = st->col_text(4);
    s.title = st->col_text(5);
    s.files = static_cast<int>(st->col_int(6));
    s.chunks = st->col_int(7);
    s.pages = st->col_int(8);
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::string> Store::meta(const std::string& key) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("SELECT value FROM meta WHERE key = ?");
  if (!st) return st.status();
  st->bind(1, key);
  auto r = st->step();
  if (!r) return r.status();
  return *r ? st->col_text(0) : std::string();
}

Status Store::set_meta(const std::string& key, const std::string& value) {
  std::lock_guard lock(mu_);
  auto st = db_->prepare("INSERT INTO meta(key, value) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!st) return st.status();
  st->bind(1, key).bind(2, value);
  return st->run();
}

}  // namespace mcdewey::store
