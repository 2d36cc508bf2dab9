#include <gtest/gtest.h>

#include <fstream>

#include "store/sqlite.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace mcdewey::store {
namespace {

model::Chunk make_chunk(int ordinal, std::string text, int page = 0) {
  model::Chunk c;
  c.ordinal = ordinal;
  c.text = std::move(text);
  c.heading_path = {"Guide", "Section " + std::to_string(ordinal)};
  c.page = page;
  c.page_end = page;
  c.words = 3;
  return c;
}

DocumentRow make_doc(const std::string& product, const std::string& version, const std::string& doc) {
  DocumentRow d;
  d.key = {product, version, doc, doc};
  d.title = "The " + doc + " guide";
  d.format = "pdf";
  d.original = d.key.product + "/" + version + "/" + doc + "/" + doc + ".pdf";
  d.origin = "/src/" + doc + ".pdf";
  d.content_hash = "h1";
  d.pipeline = 1;
  d.pages = 10;
  return d;
}

// The same suite runs on an in-memory and an on-disk database (STYLE.md §3).
class StoreTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::string path = GetParam() ? (tmp_.path() / "t.db").string() : ":memory:";
    auto s = Store::open(path);
    ASSERT_TRUE(s.is_ok()) << s.status().message();
    store_ = std::move(s.value());
    ASSERT_TRUE(store_->upsert_product({"cucm", "Cisco", "Unified CM"}).is_ok());
    ASSERT_TRUE(store_->upsert_product({"bind9", "Internet Systems Consortium (ISC)", "BIND 9"}).is_ok());
  }
  testing::TempDir tmp_;
  std::unique_ptr<Store> store_;
};

TEST_P(StoreTest, ReplaceAndFind) {
  auto id = store_->replace_document(make_doc("cucm", "v15", "security-guide"),
                                     {make_chunk(0, "OAuth refresh logins", 80), make_chunk(1, "Regenerate keys", 81)});
  ASSERT_TRUE(id.is_ok()) << id.status().message();
  auto found = store_->find_document({"cucm", "v15", "security-guide", "security-guide"});
  ASSERT_TRUE(found.is_ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->chunk_count, 2);
  auto c = store_->chunk("cucm::v15::security-guide::security-guide::1");
  ASSERT_TRUE(c.is_ok()) << c.status().message();
  EXPECT_EQ(c->hit.page, 81);
  EXPECT_EQ(c->hit.source, "cucm/v15/security-guide/security-guide.md");
  EXPECT_EQ(c->hit.vendor, "Cisco");
  EXPECT_EQ(c->hit.heading_path, (std::vector<std::string>{"Guide", "Section 1"}));
  EXPECT_EQ(store_->chunk("cucm::v15::nope::nope::0").status().code(), ErrorCode::kNotFound);
}

TEST_P(StoreTest, ReplaceSwapsChunksAndFts) {
  auto doc = make_doc("cucm", "v15", "guide");
  ASSERT_TRUE(store_->replace_document(doc, {make_chunk(0, "alpha bravo"), make_chunk(1, "charlie")}).is_ok());
  ASSERT_TRUE(store_->replace_document(doc, {make_chunk(0, "delta echo")}).is_ok());
  auto old_hits = store_->match("\"alpha\"", {}, 10, 0, {});
  ASSERT_TRUE(old_hits.is_ok());
  EXPECT_TRUE(old_hits->empty()) << "the FTS index still holds replaced chunks";
  auto new_hits = store_->match("\"delta\"", {}, 10, 0, {});
  ASSERT_EQ(new_hits->size(), 1u);
  EXPECT_FALSE(store_->chunk("cucm::v15::guide::guide::1").is_ok());
}

TEST_P(StoreTest, MatchFiltersAndWeights) {
  ASSERT_TRUE(store_->replace_document(make_doc("cucm", "v15", "a"), {make_chunk(0, "zone transfer notes")}).is_ok());
  ASSERT_TRUE(store_->replace_document(make_doc("bind9", "9.18", "b"), {make_chunk(0, "zone transfer setup")}).is_ok());
  int total = 0;
  auto all = store_->match("\"zone\"", {}, 10, 0, {}, &total);
  ASSERT_TRUE(all.is_ok());
  EXPECT_EQ(all->size(), 2u);
  EXPECT_EQ(total, 2);
  model::SearchFilters f;
  f.vendor = "isc";
  auto isc = store_->match("\"zone\"", f, 10, 0, {});
  ASSERT_EQ(isc->size(), 1u);
  auto hits = store_->hydrate(*isc, "\"zone\"");
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].product, "bind9");
  ASSERT_EQ((*hits)[0].highlights.size(), 1u);
  auto [a, b] = (*hits)[0].highlights[0];
  EXPECT_EQ((*hits)[0].text.substr(a, b - a), "zone");
  f = {};
  f.product = "cucm";
  f.version = "v14";
  EXPECT_TRUE(store_->match("\"zone\"", f, 10, 0, {})->empty());
}

TEST_P(StoreTest, StatsMetaDelete) {
  auto id = store_->replace_document(make_doc("cucm", "v15", "a"), {make_chunk(0, "one two three")});
  ASSERT_TRUE(id.is_ok());
  auto s = store_->stats();
  ASSERT_TRUE(s.is_ok());
  EXPECT_EQ(s->products, 1);
  EXPECT_EQ(s->docs, 1);
  EXPECT_EQ(s->chunks, 1);
  EXPECT_EQ(s->pages, 10);
  ASSERT_TRUE(store_->set_meta("embedder", "none").is_ok());
  EXPECT_EQ(*store_->meta("embedder"), "none");
  EXPECT_EQ(*store_->meta("missing"), "");
  ASSERT_TRUE(store_->delete_document(*id).is_ok());
  EXPECT_EQ(store_->stats()->chunks, 0);
  EXPECT_TRUE(store_->match("\"one\"", {}, 10, 0, {})->empty());
}

TEST_P(StoreTest, BlobsAndEmbeddingsRoundTrip) {
  // Binary values keep every byte (NULs included); empty is stored as empty, not unset.
  const std::string bytes("\0\x01\xff state \0", 10);
  ASSERT_TRUE(store_->set_blob("state", bytes).is_ok());
  EXPECT_EQ(*store_->blob("state"), bytes);
  ASSERT_TRUE(store_->set_blob("state", "").is_ok());
  EXPECT_EQ(*store_->blob("state"), "");
  EXPECT_EQ(*store_->blob("missing"), "");

  ASSERT_TRUE(store_->replace_document(make_doc("cucm", "v15", "a"), {make_chunk(0, "one"), make_chunk(1, "two")})
                  .is_ok());
  const int64_t row0 = store_->chunk("cucm::v15::a::a::0")->row_id;
  const int64_t row1 = store_->chunk("cucm::v15::a::a::1")->row_id;
  // A row that no longer exists (deleted by another ingest meanwhile) is skipped, not an error.
  ASSERT_TRUE(store_->put_embeddings("m", {row1, row0, row1 + 1000}, {{3, 4}, {1, 2}, {9, 9}}).is_ok());
  EXPECT_EQ(*store_->embedding_count("m"), 2);
  std::vector<int64_t> rows;
  std::vector<float> vecs;
  ASSERT_TRUE(store_->load_embeddings("m", 2, &rows, &vecs).is_ok());
  EXPECT_EQ(rows, (std::vector<int64_t>{row0, row1}));
  EXPECT_EQ(vecs, (std::vector<float>{1, 2, 3, 4}));
  // A stored vector of another size is corrupt, not silently misread.
  EXPECT_EQ(store_->load_embeddings("m", 3, &rows, &vecs).code(), ErrorCode::kCorrupt);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "disk" : "memory"; });

TEST(StoreOpen, RefusesGarbageAndNewerSchema) {
  testing::TempDir tmp;
  auto garbage = tmp / "garbage.db";
  { std::ofstream(garbage) << "this is not an sqlite database, just text that is long enough to matter......"; }
  auto g = Store::open(garbage.string());
  ASSERT_FALSE(g.is_ok());
  EXPECT_EQ(g.status().code(), ErrorCode::kCorrupt);

  auto newer = tmp / "newer.db";
  {
    auto s = Store::open(newer.string());
    ASSERT_TRUE(s.is_ok());
    ASSERT_TRUE((*s)->set_meta("x", "y").is_ok());
  }
  {
    // Simulate a database written by a future McDewey.
    Db db;
    ASSERT_TRUE(db.open(newer.string()).is_ok());
    ASSERT_TRUE(db.exec("PRAGMA user_version = 99").is_ok());
  }
  auto n = Store::open(newer.string());
  ASSERT_FALSE(n.is_ok());
  EXPECT_EQ(n.status().code(), ErrorCode::kUnsupported);
}

}  // namespace
}  // namespace mcdewey::store
