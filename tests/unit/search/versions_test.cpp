// Version-aware results (search/versions.h, model/version_order.h): the newest version of a
// passage shown first, identical passages across versions of one product collapsed into one
// hit listing the others (newest first), products never mixed, and a version filter (or
// HybridOptions::collapse_versions = false) turning collapsing off, in every search mode.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "model/version_order.h"
#include "search/hybrid.h"
#include "search/searcher.h"
#include "search/versions.h"
#include "store/store.h"
#include "vector/vector_index.h"

namespace mcdewey::search {
namespace {

using Versions = std::vector<std::string>;

model::Hit hit(const std::string& product, const std::string& version, const std::string& text, double score,
               const std::string& doc = "guide") {
  model::Hit h;
  h.product = product;
  h.version = version;
  h.doc = doc;
  h.text = text;
  h.score = score;
  h.chunk_id = product + "::" + version + "::" + doc + "::" + doc + "::0";
  return h;
}

TEST(VersionOrder, NewestFirst) {
  EXPECT_GT(model::compare_versions("9.18", "9.9"), 0);
  EXPECT_LT(model::compare_versions("9.9", "9.18"), 0);
  EXPECT_GT(model::compare_versions("v15", "v12.5"), 0);
  EXPECT_GT(model::compare_versions("v12.5", "v12"), 0);
  EXPECT_GT(model::compare_versions("14", "12.5"), 0);
  EXPECT_EQ(model::compare_versions("V15", "v15"), 0);
  Versions v = {"9.9", "9.18", "9.16", "9.18.1", "9.2"};
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return model::compare_versions(a, b) > 0; });
  EXPECT_EQ(v, (Versions{"9.18.1", "9.18", "9.16", "9.9", "9.2"}));
}

TEST(PassageKey, CollapsesWhitespaceOnly) {
  EXPECT_EQ(passage_key(hit("p", "1", "  Regenerate \n\tthe   key. ", 0)), "Regenerate the key.");
  EXPECT_NE(passage_key(hit("p", "1", "Regenerate the key.", 0)), passage_key(hit("p", "1", "regenerate the key.", 0)));
}

TEST(CollapseVersions, IdenticalPassagesBecomeOneHitShownAsTheNewest) {
  std::vector<model::Hit> ranked = {
      hit("bind9", "9.9", "Zone transfers use TCP.", 5.0),
      hit("bind9", "9.18", "Zone  transfers use\nTCP.", 4.0),  // same passage, other whitespace
      hit("bind9", "9.16", "Zone transfers use TCP.", 3.0),
  };
  collapse_versions(&ranked);
  ASSERT_EQ(ranked.size(), 1u);
  EXPECT_EQ(ranked[0].version, "9.18");
  EXPECT_EQ(ranked[0].chunk_id, "bind9::9.18::guide::guide::0");
  EXPECT_EQ(ranked[0].also_in_versions, (Versions{"9.16", "9.9"}));
  EXPECT_DOUBLE_EQ(ranked[0].score, 5.0);  // the best rank any copy had
}

TEST(CollapseVersions, TakesTheBestRankOfItsCopies) {
  std::vector<model::Hit> ranked = {
      hit("cucm", "v12.5", "Regenerate the certificate.", 9.0),
      hit("cucm", "v15", "Something else entirely.", 8.0),
      hit("cucm", "v14", "Regenerate the certificate.", 7.0),
      hit("cucm", "v15", "Regenerate the certificate.", 6.0, "other-doc"),
  };
  collapse_versions(&ranked);
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].version, "v15");
  EXPECT_EQ(ranked[0].doc, "other-doc");
  EXPECT_EQ(ranked[0].text, "Regenerate the certificate.");
  EXPECT_EQ(ranked[0].also_in_versions, (Versions{"v14", "v12.5"}));
  EXPECT_DOUBLE_EQ(ranked[0].score, 9.0);
  EXPECT_EQ(ranked[1].text, "Something else entirely.");
  EXPECT_TRUE(ranked[1].also_in_versions.empty());
}

TEST(CollapseVersions, DifferentProductsNeverCollapse) {
  std::vector<model::Hit> ranked = {
      hit("cucm", "v15", "Restart the Tomcat service.", 3.0),
      hit("cuc", "v15", "Restart the Tomcat service.", 2.0),
      hit("cuc", "v14", "Restart the Tomcat service.", 1.0),
  };
  collapse_versions(&ranked);
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0].product, "cucm");
  EXPECT_TRUE(ranked[0].also_in_versions.empty());
  EXPECT_EQ(ranked[1].product, "cuc");
  EXPECT_EQ(ranked[1].version, "v15");
  EXPECT_EQ(ranked[1].also_in_versions, (Versions{"v14"}));
}

TEST(CollapseVersions, DifferentPassagesAndSameVersionCopiesStaySeparate) {
  std::vector<model::Hit> ranked = {
      hit("git", "2.39", "git revert undoes a commit.", 4.0, "git-revert"),
      hit("git", "2.39", "git revert undoes a commit.", 3.0, "gitfaq"),  // two docs of one version
      hit("git", "2.40", "git revert undoes a commit by adding one.", 2.0),
  };
  collapse_versions(&ranked);
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0].doc, "git-revert");
  EXPECT_EQ(ranked[1].doc, "gitfaq");
  EXPECT_EQ(ranked[2].version, "2.40");
  for (const auto& h : ranked) EXPECT_TRUE(h.also_in_versions.empty());
}

TEST(CollapseVersions, SameVersionCopiesEachPairWithOtherVersions) {
  // Two copies in 2.0 and two in 1.0: two hits, each a 2.0 copy also in 1.0.
  std::vector<model::Hit> ranked = {
      hit("p", "1.0", "Same text.", 4.0, "a"),
      hit("p", "2.0", "Same text.", 3.0, "a"),
      hit("p", "2.0", "Same text.", 2.0, "b"),
      hit("p", "1.0", "Same text.", 1.0, "b"),
  };
  collapse_versions(&ranked);
  ASSERT_EQ(ranked.size(), 2u);
  for (const auto& h : ranked) {
    EXPECT_EQ(h.version, "2.0");
    EXPECT_EQ(h.also_in_versions, (Versions{"1.0"}));
  }
  EXPECT_DOUBLE_EQ(ranked[0].score, 4.0);
  EXPECT_DOUBLE_EQ(ranked[1].score, 2.0);
}

TEST(CollapseVersions, EditedSectionsRankNewestFirstInTheGroupsPlaces) {
  // The same section (product, doc, file, heading path) edited between releases: not
  // identical, so not collapsed, but the newest takes the group's best place and score.
  auto section = [](const std::string& version, const std::string& text, double score) {
    model::Hit h = hit("bind9", version, text, score);
    h.file = "reference";
    h.heading_path = {"Zones", "Transfers"};
    return h;
  };
  std::vector<model::Hit> ranked = {section("9.16", "transfers use TCP (old wording)", 0.9),
                                    hit("kea", "2.2", "other product", 0.8),
                                    section("9.18", "transfers use TCP (new wording)", 0.7),
                                    hit("bind9", "9.16", "another section", 0.6)};
  ranked[3].heading_path = {"Logging"};
  collapse_versions(&ranked);
  ASSERT_EQ(ranked.size(), 4u);
  EXPECT_EQ(ranked[0].version, "9.18");
  EXPECT_DOUBLE_EQ(ranked[0].score, 0.9);
  EXPECT_EQ(ranked[1].product, "kea");
  EXPECT_EQ(ranked[2].version, "9.16");
  EXPECT_DOUBLE_EQ(ranked[2].score, 0.7);
  EXPECT_EQ(ranked[3].text, "another section");
  EXPECT_TRUE(ranked[0].also_in_versions.empty());
}

TEST(CollapseVersions, NothingToDo) {
  std::vector<model::Hit> none;
  collapse_versions(&none);
  EXPECT_TRUE(none.empty());
  std::vector<model::Hit> one = {hit("p", "1", "x", 1.0)};
  collapse_versions(&one);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_TRUE(one[0].also_in_versions.empty());
}

// A toy embedder for the dense paths: one dimension per topic word, plus a constant.
class TopicEmbedder final : public embed::Embedder {
 public:
  embed::EmbedderIdentity identity() const override { return {"test:topics", 3}; }
  Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) override {
    std::vector<std::vector<float>> out;
    for (const auto& t : texts) {
      std::vector<float> v = {count(t, "certificate"), count(t, "phone"), 0.1f};
      float n = std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
      for (float& x : v) x /= n;
      out.push_back(v);
    }
    return out;
  }

 private:
  static float count(const std::string& text, const std::string& word) {
    float n = 0;
    for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) ++n;
    return n;
  }
};

// cucm v12.5, v14 and v15 share one passage word for word and differ in another; cuc v15
// quotes the shared passage too.
class VersionedSearch : public ::testing::TestWithParam<model::SearchMode> {
 protected:
  void SetUp() override {
    store_ = std::move(store::Store::open(":memory:").value());
    ASSERT_TRUE(store_->upsert_product({"cucm", "Cisco", "Unified CM"}).is_ok());
    ASSERT_TRUE(store_->upsert_product({"cuc", "Cisco", "Unity Connection"}).is_ok());
    for (const char* v : {"v12.5", "v15", "v14"}) {
      add("cucm", v, {{"Certificates", kShared},
                      {"Phones", std::string("In release ") + v + " every phone registers its certificate once."}});
    }
    add("cuc", "v15", {{"Certificates", kShared}});
    lexical_ = std::make_unique<Searcher>(*store_);

    // The vector index over every chunk.
    std::vector<int64_t> ids;
    std::vector<float> flat;
    auto texts = store_->chunk_texts(false, "");
    ASSERT_TRUE(texts.is_ok());
    std::vector<std::string> batch;
    for (const auto& t : *texts) {
      ids.push_back(t.row_id);
      batch.push_back(t.text);
    }
    auto vecs = embedder_.embed(batch);
    ASSERT_TRUE(vecs.is_ok());
    for (const auto& v : *vecs) flat.insert(flat.end(), v.begin(), v.end());
    auto index = vector::ExactIndex::build(3, std::move(ids), flat);
    ASSERT_TRUE(index.is_ok()) << index.status().message();
    dense_.embedder = &embedder_;
    dense_.index = std::shared_ptr<const vector::VectorIndex>(std::move(index.value()));
  }

  void add(const std::string& product, const std::string& version,
           std::vector<std::pair<std::string, std::string>> chunks) {
    store::DocumentRow d;
    d.key = {product, version, "security-guide", "security-guide"};
    d.title = "Security Guide";
    d.format = "md";
    d.original = d.origin = product + version;
    d.content_hash = product + version;
    std::vector<model::Chunk> cs;
    for (auto& [heading, text] : chunks) {
      model::Chunk c;
      c.ordinal = static_cast<int>(cs.size());
      c.heading_path = {heading};
      c.text = text;
      cs.push_back(c);
    }
    ASSERT_TRUE(store_->replace_document(d, cs).is_ok());
  }

  Result<model::SearchResponse> search(const std::string& query, const std::string& version = "",
                                       HybridOptions options = {}) {
    HybridSearcher s(*store_, *lexical_, options);
    model::SearchRequest r;
    r.query = query;
    r.mode = GetParam();
    r.filters.version = version;
    r.limit = 20;
    return s.search(r, &dense_);
  }

  static const model::Hit* find(const model::SearchResponse& resp, const std::string& product,
                                const std::string& text_part) {
    for (const auto& h : resp.hits) {
      if (h.product == product && h.text.find(text_part) != std::string::npos) return &h;
    }
    return nullptr;
  }
  static int count(const model::SearchResponse& resp, const std::string& text_part) {
    return static_cast<int>(std::count_if(resp.hits.begin(), resp.hits.end(), [&](const model::Hit& h) {
      return h.text.find(text_part) != std::string::npos;
    }));
  }

  static constexpr const char* kShared = "Regenerate the certificate from the command line and restart the service.";
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Searcher> lexical_;
  TopicEmbedder embedder_;
  DenseSource dense_;
};

TEST_P(VersionedSearch, IdenticalPassagesCollapseToTheNewestVersion) {
  auto resp = search("regenerate certificate");
  ASSERT_TRUE(resp.is_ok()) << resp.status().message();
  EXPECT_EQ(resp->mode, GetParam());
  // One cucm hit for the shared passage, shown as v15, also in v14 and v12.5.
  const model::Hit* cucm = find(*resp, "cucm", "Regenerate");
  ASSERT_NE(cucm, nullptr);
  EXPECT_EQ(cucm->version, "v15");
  EXPECT_EQ(cucm->chunk_id, "cucm::v15::security-guide::security-guide::0");
  EXPECT_EQ(cucm->also_in_versions, (Versions{"v14", "v12.5"}));
  // The other product's copy is its own hit.
  const model::Hit* cuc = find(*resp, "cuc", "Regenerate");
  ASSERT_NE(cuc, nullptr);
  EXPECT_TRUE(cuc->also_in_versions.empty());
  EXPECT_EQ(count(*resp, "Regenerate"), 2);
  // Passages that differ between versions stay three hits.
  EXPECT_EQ(count(*resp, "In release"), 3);
  // No hit is a stale copy of another.
  std::set<std::string> ids;
  for (const auto& h : resp->hits) EXPECT_TRUE(ids.insert(h.chunk_id).second) << h.chunk_id;
}

TEST_P(VersionedSearch, AVersionFilterTurnsCollapsingOff) {
  for (const std::string how : {"request", "query"}) {
    auto resp = how == "request" ? search("regenerate certificate", "v14")
                                 : search("version:v14 regenerate certificate");
    ASSERT_TRUE(resp.is_ok()) << resp.status().message();
    ASSERT_FALSE(resp->hits.empty()) << how;
    for (const auto& h : resp->hits) {
      EXPECT_EQ(h.version, "v14") << how;
      EXPECT_TRUE(h.also_in_versions.empty()) << how << " " << h.chunk_id;
    }
    const model::Hit* cucm = find(*resp, "cucm", "Regenerate");
    ASSERT_NE(cucm, nullptr) << how;
    EXPECT_EQ(cucm->chunk_id, "cucm::v14::security-guide::security-guide::0");
  }
}

TEST_P(VersionedSearch, ProductFilterStillCollapses) {
  auto resp = search("product:cucm regenerate certificate");
  ASSERT_TRUE(resp.is_ok()) << resp.status().message();
  for (const auto& h : resp->hits) EXPECT_EQ(h.product, "cucm");
  EXPECT_EQ(count(*resp, "Regenerate"), 1);
  const model::Hit* cucm = find(*resp, "cucm", "Regenerate");
  ASSERT_NE(cucm, nullptr);
  EXPECT_EQ(cucm->also_in_versions, (Versions{"v14", "v12.5"}));
}

TEST_P(VersionedSearch, CollapsingCanBeTurnedOff) {
  HybridOptions o;
  o.collapse_versions = false;
  auto resp = search("regenerate certificate", "", o);
  ASSERT_TRUE(resp.is_ok()) << resp.status().message();
  EXPECT_EQ(count(*resp, "Regenerate"), 4);
  for (const auto& h : resp->hits) EXPECT_TRUE(h.also_in_versions.empty());
}

TEST_P(VersionedSearch, CollapsingDoesNotShortenThePage) {
  // Seven passages mention a certificate; three of them collapse into one. A page of 3 is full.
  HybridSearcher s(*store_, *lexical_);
  model::SearchRequest r;
  r.query = "certificate";
  r.mode = GetParam();
  r.limit = 3;
  auto resp = s.search(r, &dense_);
  ASSERT_TRUE(resp.is_ok()) << resp.status().message();
  EXPECT_EQ(resp->hits.size(), 3u);
  r.limit = 10;
  resp = s.search(r, &dense_);
  ASSERT_TRUE(resp.is_ok());
  EXPECT_EQ(resp->hits.size(), 5u);  // 7 passages; cucm's 3 copies of the shared one are 1 hit
}

INSTANTIATE_TEST_SUITE_P(Modes, VersionedSearch,
                         ::testing::Values(model::SearchMode::kLexical, model::SearchMode::kSemantic,
                                           model::SearchMode::kHybrid),
                         [](const auto& info) { return std::string(model::search_mode_name(info.param)); });

}  // namespace
}  // namespace mcdewey::search
