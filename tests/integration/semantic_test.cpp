// Semantic and hybrid search through the Library facade, end to end, with the built-in
// embedder over the SYNTHETIC fixture model (tests/data/embed/tiny-wink.json, converted into
// a temp dir): every chunk embedded, modes and the mode reported, filters honoured exactly
// (exact scan and HNSW), auto = hybrid with an embedder and lexical without, the embedder's
// identity enforced (name and dims) until `reembed`, the derived vector index rebuilt when
// missing or damaged, unchanged re-ingest not re-embedding, and the model file found again
// from what the library recorded.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "app/library.h"
#include "embed/word_vectors.h"
#include "store/store.h"
#include "support/files.h"
#include "support/temp_dir.h"

namespace mcdewey::app {
namespace {

namespace stdfs = std::filesystem;
using model::SearchMode;

// A small wink-format JSON with `dims` dimensions (deterministic, not meaningful).
void write_wink_json(const stdfs::path& p, int dims) {
  const std::vector<std::string> words = {"the",    "of",     "and",    "commit", "revert", "agent",  "monitoring",
                                          "ticket", "kerberos", "password", "timer", "module", "server", "client"};
  std::string json = "{\"precision\":5,\"l2NormIndex\":" + std::to_string(dims) +
                     ",\"wordIndex\":" + std::to_string(dims + 1) + ",\"size\":" + std::to_string(words.size()) +
                     ",\"dimensions\":" + std::to_string(dims) + ",\"words\":[";
  for (size_t i = 0; i < words.size(); ++i) json += (i ? ",\"" : "\"") + words[i] + "\"";
  json += "],\"vectors\":{";
  for (size_t i = 0; i < words.size(); ++i) {
    json += (i ? ",\"" : "\"") + words[i] + "\":[";
    double norm2 = 0;
    for (int d = 0; d < dims; ++d) {
      const double x = ((static_cast<int>(i) * 7 + d * 3) % 11 - 5) / 5.0 + (d == static_cast<int>(i) % dims ? 1 : 0);
      norm2 += x * x;
      json += std::to_string(x) + ",";
    }
    json += std::to_string(std::sqrt(norm2)) + "," + std::to_string(i) + "]";
  }
  json += "}}\n";
  testing::write_all(p, json);
}

class SemanticTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // The model must come from the test, never from the environment or ./models.
    ::unsetenv("MCDEWEY_MODEL");
    models_ = new testing::TempDir();
    const stdfs::path fixture = stdfs::path(MCDEWEY_TEST_DATA) / "embed" / "tiny-wink.json";
    ASSERT_TRUE(embed::convert_wink_json(fixture, model(), "tiny-wink").is_ok());
    ASSERT_TRUE(embed::convert_wink_json(fixture, renamed_model(), "other-wink").is_ok());
    write_wink_json(*models_ / "eight.json", 8);
    ASSERT_TRUE(embed::convert_wink_json(*models_ / "eight.json", eight_dims_model(), "tiny-wink").is_ok());
  }
  static void TearDownTestSuite() {
    delete models_;
    models_ = nullptr;
  }
  static stdfs::path model() { return *models_ / "tiny.mcdwv"; }
  static stdfs::path renamed_model() { return *models_ / "other.mcdwv"; }
  static stdfs::path eight_dims_model() { return *models_ / "eight.mcdwv"; }

  void SetUp() override {
    src_ = tmp_ / "src";
    data_ = tmp_ / "data";
    stdfs::copy(stdfs::path(MCDEWEY_TEST_DATA) / "library", src_, stdfs::copy_options::recursive);
    for (auto& e : stdfs::recursive_directory_iterator(src_)) {
      stdfs::permissions(e.path(), stdfs::perms::owner_write, stdfs::perm_options::add);
    }
  }

  static LibraryOptions builtin(const stdfs::path& file = model()) {
    LibraryOptions o;
    o.embedder = EmbedderChoice::kBuiltin;
    o.model_file = file;
    return o;
  }
  std::unique_ptr<Library> open(const LibraryOptions& o) {
    auto lib = Library::open(data_, true, o);
    EXPECT_TRUE(lib.is_ok()) << lib.status().message();
    return lib.is_ok() ? std::move(lib.value()) : nullptr;
  }
  IngestReport ingest(Library& lib) {
    auto r = lib.ingest_tree(src_, IngestOptions{});
    EXPECT_TRUE(r.is_ok()) << r.status().message();
    return r.is_ok() ? *r : IngestReport{};
  }
  static Result<model::SearchResponse> search(Library& lib, const std::string& q, SearchMode mode,
                                              model::SearchFilters f = {}, int limit = 10) {
    model::SearchRequest r;
    r.query = q;
    r.mode = mode;
    r.filters = f;
    r.limit = limit;
    return lib.search(r);
  }
  stdfs::path index_file() const {
    std::error_code ec;
    for (auto& e : stdfs::directory_iterator(data_ / "vectors", ec)) {
      if (e.path().extension() == ".idx") return e.path();
    }
    return {};
  }
  // Chunks per (product, version, doc), from the library's own listing.
  static int64_t chunks_where(Library& lib, const model::SearchFilters& f) {
    auto docs = lib.docs();
    EXPECT_TRUE(docs.is_ok());
    int64_t n = 0;
    for (const auto& d : *docs) {
      if ((f.product.empty() || d.product == f.product) && (f.version.empty() || d.version == f.version) &&
          (f.doc.empty() || d.doc == f.doc)) {
        n += d.chunks;
      }
    }
    return n;
  }

  static testing::TempDir* models_;
  testing::TempDir tmp_;
  stdfs::path src_, data_;
};
testing::TempDir* SemanticTest::models_ = nullptr;

TEST_F(SemanticTest, EveryChunkIsEmbeddedAndEveryModeAnswers) {
  auto lib = open(builtin());
  ASSERT_NE(lib, nullptr);
  auto r = ingest(*lib);
  const SemanticStatus s = lib->semantic_status();
  EXPECT_TRUE(s.available) << s.note;
  EXPECT_EQ(s.embedder, "builtin:tiny-wink");
  EXPECT_EQ(s.dims, 16);
  EXPECT_GT(s.chunks, 20);
  EXPECT_EQ(s.embedded, s.chunks);
  EXPECT_EQ(r.embedded, s.chunks);
  EXPECT_TRUE(s.note.empty()) << s.note;
  EXPECT_FALSE(index_file().empty());

  for (SearchMode mode : {SearchMode::kSemantic, SearchMode::kHybrid, SearchMode::kLexical}) {
    auto resp = search(*lib, "kerberos ticket password", mode);
    ASSERT_TRUE(resp.is_ok()) << model::search_mode_name(mode) << ": " << resp.status().message();
    EXPECT_EQ(resp->mode, mode);
    EXPECT_FALSE(resp->hits.empty()) << model::search_mode_name(mode);
    for (const auto& h : resp->hits) EXPECT_FALSE(h.chunk_id.empty());
    // Fused hits get the query's words marked too (they were fetched without them).
    if (mode != SearchMode::kSemantic && !resp->hits.empty()) EXPECT_FALSE(resp->hits[0].highlights.empty());
  }
  // auto is hybrid when the library has an embedder and vectors.
  auto a = search(*lib, "kerberos ticket password", SearchMode::kAuto);
  ASSERT_TRUE(a.is_ok());
  EXPECT_EQ(a->mode, SearchMode::kHybrid);
  // Semantic search answers a query that shares no word with the library.
  auto sem = search(*lib, "zzzunknownword credential", SearchMode::kSemantic);
  ASSERT_TRUE(sem.is_ok()) << sem.status().message();
  EXPECT_FALSE(sem->hits.empty());
}

// Filters in semantic and hybrid mode: nothing outside the filter, and as many results as
// exist up to the limit; with the exact scan and with the HNSW graph.
TEST_F(SemanticTest, FiltersAreHonouredExactly) {
  for (size_t hnsw_min : {size_t(20000), size_t(1)}) {
    SCOPED_TRACE(hnsw_min == 1 ? "hnsw" : "exact");
    LibraryOptions o = builtin();
    o.hnsw_min_vectors = hnsw_min;
    auto lib = open(o);
    ASSERT_NE(lib, nullptr);
    ingest(*lib);
    EXPECT_EQ(stdfs::exists(index_file().string() + ".hnsw"), hnsw_min == 1);
    std::vector<model::SearchFilters> filters(5);
    filters[0].product = "icinga2";
    filters[1].product = "kamailio";
    filters[1].version = "5.6.3";
    filters[2].doc = "git-revert";
    filters[3].vendor = "Icinga GmbH";
    filters[4].product = "mit-kerberos";
    filters[4].doc = "krb5-basic-excerpt";
    for (SearchMode mode : {SearchMode::kSemantic, SearchMode::kHybrid}) {
      for (const auto& f : filters) {
        SCOPED_TRACE(std::string(model::search_mode_name(mode)) + " " + f.vendor + f.product + "/" + f.version +
                     "/" + f.doc);
        model::SearchFilters counted = f;
        if (!f.vendor.empty()) counted.product = "icinga2";  // the only product of that vendor
        const int64_t n = chunks_where(*lib, counted);
        ASSERT_GT(n, 1);
        for (int limit : {1, static_cast<int>(n) - 1, static_cast<int>(n), static_cast<int>(n) + 10}) {
          if (limit < 1) continue;
          auto resp = search(*lib, "configure the server and check the ticket", mode, f, limit);
          ASSERT_TRUE(resp.is_ok()) << resp.status().message();
          EXPECT_EQ(static_cast<int64_t>(resp->hits.size()), std::min<int64_t>(limit, n)) << "limit " << limit;
          for (const auto& h : resp->hits) {
            if (!f.product.empty()) {
              EXPECT_EQ(h.product, f.product) << h.chunk_id;
            }
            if (!f.version.empty()) {
              EXPECT_EQ(h.version, f.version) << h.chunk_id;
            }
            if (!f.doc.empty()) {
              EXPECT_EQ(h.doc, f.doc) << h.chunk_id;
            }
            if (!f.vendor.empty()) {
              EXPECT_EQ(h.vendor, f.vendor) << h.chunk_id;
            }
          }
        }
      }
    }
    // A filter that matches nothing: no results, not an error, not other products.
    model::SearchFilters none;
    none.product = "no-such-product";
    for (SearchMode mode : {SearchMode::kSemantic, SearchMode::kHybrid}) {
      auto resp = search(*lib, "ticket", mode, none);
      ASSERT_TRUE(resp.is_ok()) << resp.status().message();
      EXPECT_TRUE(resp->hits.empty());
    }
    lib.reset();
    stdfs::remove_all(data_);
  }
}

TEST_F(SemanticTest, PagesConcatenateToTheFullList) {
  auto lib = open(builtin());
  ASSERT_NE(lib, nullptr);
  ingest(*lib);
  for (SearchMode mode : {SearchMode::kSemantic, SearchMode::kHybrid, SearchMode::kLexical}) {
    SCOPED_TRACE(model::search_mode_name(mode));
    auto full = search(*lib, "agent check monitoring server", mode, {}, 30);
    ASSERT_TRUE(full.is_ok()) << full.status().message();
    ASSERT_GT(full->hits.size(), 10u);
    std::vector<std::string> paged;
    for (int offset = 0; offset < 40; offset += 4) {
      model::SearchRequest r;
      r.query = "agent check monitoring server";
      r.mode = mode;
      r.limit = 4;
      r.offset = offset;
      auto page = lib->search(r);
      ASSERT_TRUE(page.is_ok()) << page.status().message();
      EXPECT_LE(page->hits.size(), 4u);
      for (const auto& h : page->hits) paged.push_back(h.chunk_id);
    }
    paged.resize(std::min(paged.size(), full->hits.size()));
    std::vector<std::string> expected;
    for (const auto& h : full->hits) expected.push_back(h.chunk_id);
    EXPECT_EQ(paged, expected);
  }
}

TEST_F(SemanticTest, WithoutAnEmbedderSearchIsLexicalAndSaysHowToFixIt) {
  {
    auto lib = open(builtin());
    ASSERT_NE(lib, nullptr);
    ingest(*lib);
  }
  LibraryOptions none;
  none.embedder = EmbedderChoice::kNone;
  auto lib = open(none);
  ASSERT_NE(lib, nullptr);
  EXPECT_FALSE(lib->semantic_status().available);
  auto a = search(*lib, "kerberos ticket", SearchMode::kAuto);
  ASSERT_TRUE(a.is_ok()) << a.status().message();
  EXPECT_EQ(a->mode, SearchMode::kLexical);
  EXPECT_FALSE(a->hits.empty());
  for (SearchMode mode : {SearchMode::kSemantic, SearchMode::kHybrid}) {
    auto r = search(*lib, "kerberos ticket", mode);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kUnsupported);
    EXPECT_NE(r.status().message().find("lexical"), std::string::npos) << r.status().message();
    EXPECT_EQ(r.status().message().find('\n'), std::string::npos) << r.status().message();
  }
  lib.reset();

  // kAuto with the model gone: lexical, and the message says where the model comes from.
  LibraryOptions missing;
  missing.model_file = tmp_ / "no-such-model.mcdwv";
  lib = open(missing);
  ASSERT_NE(lib, nullptr);
  const SemanticStatus s = lib->semantic_status();
  EXPECT_FALSE(s.available);
  EXPECT_NE(s.note.find("fetch-model"), std::string::npos) << s.note;
  auto r = search(*lib, "kerberos ticket", SearchMode::kSemantic);
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(r.status().message().find("fetch-model"), std::string::npos) << r.status().message();
  EXPECT_TRUE(search(*lib, "kerberos ticket", SearchMode::kLexical).is_ok());
  // kBuiltin with the model gone is an error at open.
  auto strict = Library::open(data_, false, builtin(tmp_ / "no-such-model.mcdwv"));
  ASSERT_FALSE(strict.is_ok());
  EXPECT_EQ(strict.status().code(), ErrorCode::kNotFound);
}

TEST_F(SemanticTest, AnotherEmbedderIsRefusedUntilReembed) {
  {
    auto lib = open(builtin());
    ASSERT_NE(lib, nullptr);
    ingest(*lib);
  }
  for (const auto& other : {renamed_model(), eight_dims_model()}) {
    SCOPED_TRACE(other.filename().string());
    auto refused = Library::open(data_, false, builtin(other));
    ASSERT_FALSE(refused.is_ok());
    EXPECT_EQ(refused.status().code(), ErrorCode::kConflict);
    EXPECT_NE(refused.status().message().find("mcdewey reembed"), std::string::npos) << refused.status().message();
    EXPECT_NE(refused.status().message().find("builtin:tiny-wink"), std::string::npos) << refused.status().message();
    // kAuto with an explicit model file is refused the same way.
    LibraryOptions auto_other;
    auto_other.model_file = other;
    auto refused_auto = Library::open(data_, false, auto_other);
    ASSERT_FALSE(refused_auto.is_ok());
    EXPECT_EQ(refused_auto.status().code(), ErrorCode::kConflict);
  }

  // Re-embed with the 8-d model.
  LibraryOptions change = builtin(eight_dims_model());
  change.allow_embedder_change = true;
  {
    auto lib = open(change);
    ASSERT_NE(lib, nullptr);
    // Until reembed, the old vectors are not used with the new model.
    EXPECT_FALSE(lib->semantic_status().available);
    auto stale = search(*lib, "commit", SearchMode::kSemantic);
    EXPECT_FALSE(stale.is_ok());
    auto rep = lib->reembed();
    ASSERT_TRUE(rep.is_ok()) << rep.status().message();
    EXPECT_TRUE(rep->reembedded_all);
    const SemanticStatus s = lib->semantic_status();
    EXPECT_TRUE(s.available) << s.note;
    EXPECT_EQ(s.dims, 8);
    EXPECT_EQ(rep->embedded, s.chunks);
    auto r = search(*lib, "revert a commit", SearchMode::kSemantic);
    ASSERT_TRUE(r.is_ok()) << r.status().message();
    EXPECT_FALSE(r->hits.empty());
  }
  // Now the new model opens without permission, and the old one is refused.
  auto lib = Library::open(data_, false, builtin(eight_dims_model()));
  ASSERT_TRUE(lib.is_ok()) << lib.status().message();
  EXPECT_TRUE((*lib)->semantic_status().available);
  auto hybrid = search(**lib, "revert a commit", SearchMode::kHybrid);
  ASSERT_TRUE(hybrid.is_ok()) << hybrid.status().message();
  EXPECT_EQ(hybrid->mode, SearchMode::kHybrid);
  lib.value().reset();
  auto old = Library::open(data_, false, builtin(model()));
  ASSERT_FALSE(old.is_ok());
  EXPECT_EQ(old.status().code(), ErrorCode::kConflict);
}

TEST_F(SemanticTest, TheVectorIndexIsRebuiltWhenMissingOrDamaged) {
  std::string good;
  stdfs::path idx;
  {
    auto lib = open(builtin());
    ASSERT_NE(lib, nullptr);
    ingest(*lib);
    idx = index_file();
    ASSERT_FALSE(idx.empty());
    good = testing::read_all(idx);
    ASSERT_GT(good.size(), 8u);
  }
  auto expect_searches_and_heals = [&](const std::string& what) {
    SCOPED_TRACE(what);
    auto lib = Library::open(data_, false, builtin());
    ASSERT_TRUE(lib.is_ok()) << lib.status().message();
    EXPECT_TRUE((*lib)->semantic_status().available);
    for (SearchMode mode : {SearchMode::kSemantic, SearchMode::kHybrid}) {
      auto r = search(**lib, "revert a commit", mode);
      ASSERT_TRUE(r.is_ok()) << r.status().message();
      EXPECT_FALSE(r->hits.empty());
    }
    ASSERT_TRUE(stdfs::exists(idx));
    const std::string now = testing::read_all(idx);
    EXPECT_EQ(now.size(), good.size());
    EXPECT_EQ(now.substr(0, 8), "MCDVEC01");
    EXPECT_EQ(now, good);  // same embeddings, same file
  };
  stdfs::remove(idx);
  expect_searches_and_heals("deleted");
  testing::write_all(idx, "this is not a vector index, just garbage bytes");
  expect_searches_and_heals("garbage");
  std::string flipped = good;
  flipped[flipped.size() - 3] = static_cast<char>(flipped[flipped.size() - 3] ^ 0x5a);
  testing::write_all(idx, flipped);
  expect_searches_and_heals("one byte flipped in the payload");
  testing::write_all(idx, good.substr(0, good.size() / 2));
  expect_searches_and_heals("truncated");
  testing::write_all(idx, "");
  expect_searches_and_heals("empty");
}

TEST_F(SemanticTest, UnchangedReingestDoesNotReembed) {
  auto lib = open(builtin());
  ASSERT_NE(lib, nullptr);
  auto first = ingest(*lib);
  EXPECT_GT(first.embedded, 0);
  auto second = ingest(*lib);
  EXPECT_EQ(second.ingested, 0);
  EXPECT_EQ(second.embedded, 0);
  lib.reset();
  // Nor in another process (a fresh Library on the same data).
  lib = open(builtin());
  ASSERT_NE(lib, nullptr);
  auto third = ingest(*lib);
  EXPECT_EQ(third.ingested, 0);
  EXPECT_EQ(third.embedded, 0);
  EXPECT_TRUE(lib->semantic_status().available);
}

TEST_F(SemanticTest, TheRecordedModelFileIsFoundAgain) {
  {
    auto lib = open(builtin());
    ASSERT_NE(lib, nullptr);
    ingest(*lib);
  }
  {
    auto store = store::Store::open((data_ / "mcdewey.db").string());
    ASSERT_TRUE(store.is_ok());
    auto recorded = (*store)->meta("embedder.model_file");
    ASSERT_TRUE(recorded.is_ok());
    EXPECT_EQ(stdfs::path(*recorded), stdfs::absolute(model()).lexically_normal());
    EXPECT_TRUE(stdfs::path(*recorded).is_absolute());
  }
  // No model_file given: kAuto and kBuiltin both find the recorded one.
  for (EmbedderChoice choice : {EmbedderChoice::kAuto, EmbedderChoice::kBuiltin}) {
    LibraryOptions o;
    o.embedder = choice;
    auto lib = Library::open(data_, false, o);
    ASSERT_TRUE(lib.is_ok()) << lib.status().message();
    const SemanticStatus s = (*lib)->semantic_status();
    EXPECT_TRUE(s.available) << s.note;
    EXPECT_EQ(s.embedder, "builtin:tiny-wink");
    auto r = search(**lib, "revert a commit", SearchMode::kAuto);
    ASSERT_TRUE(r.is_ok());
    EXPECT_EQ(r->mode, SearchMode::kHybrid);
  }
}

TEST_F(SemanticTest, DomainAdaptationIsOptInRecordedAndKept) {
  auto meta = [&](const char* key) {
    auto store = store::Store::open((data_ / "mcdewey.db").string());
    EXPECT_TRUE(store.is_ok());
    auto v = (*store)->meta(key);
    EXPECT_TRUE(v.is_ok());
    return v.is_ok() ? *v : std::string("?");
  };
  {
    auto lib = open(builtin());  // a new library: off
    ASSERT_NE(lib, nullptr);
    EXPECT_GT(ingest(*lib).embedded, 0);
  }
  EXPECT_EQ(meta("embedder.adapt"), "0");
  const std::string off_fp = meta("embedder.fingerprint");
  {
    LibraryOptions on = builtin();
    on.domain_adaptation = true;
    auto lib = open(on);
    ASSERT_NE(lib, nullptr);
    auto r = lib->reembed();
    ASSERT_TRUE(r.is_ok()) << r.status().message();
    EXPECT_TRUE(r->reembedded_all);
  }
  EXPECT_EQ(meta("embedder.adapt"), "1");
  const std::string on_fp = meta("embedder.fingerprint");
  EXPECT_NE(on_fp, off_fp);
  {
    // Opened without a choice, the library keeps what it recorded: an unchanged re-ingest
    // re-embeds nothing, and a re-embed learns the same state again.
    auto lib = open(builtin());
    ASSERT_NE(lib, nullptr);
    EXPECT_EQ(ingest(*lib).embedded, 0);
    ASSERT_TRUE(lib->reembed().is_ok());
    EXPECT_TRUE(lib->semantic_status().available);
  }
  EXPECT_EQ(meta("embedder.adapt"), "1");
  EXPECT_EQ(meta("embedder.fingerprint"), on_fp);
  {
    // Switching it on an ingest with nothing new re-embeds too.
    LibraryOptions off = builtin();
    off.domain_adaptation = false;
    auto lib = open(off);
    ASSERT_NE(lib, nullptr);
    auto r = ingest(*lib);
    EXPECT_EQ(r.ingested, 0);
    EXPECT_GT(r.embedded, 0);
  }
  EXPECT_EQ(meta("embedder.adapt"), "0");
  EXPECT_EQ(meta("embedder.fingerprint"), off_fp);
}

}  // namespace
}  // namespace mcdewey::app
