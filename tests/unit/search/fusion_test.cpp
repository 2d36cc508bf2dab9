// search::fuse() (search/fusion.h): score fusion (min-max normalisation, weights), weighted
// reciprocal-rank fusion, items missing from a list, duplicates, ties, empty and one-item lists.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "search/fusion.h"

namespace mcdewey::search {
namespace {

RankedList list(std::vector<Candidate> items, double weight = 1.0) { return RankedList{std::move(items), weight}; }

std::vector<std::string> keys(const std::vector<Fused>& fused) {
  std::vector<std::string> out;
  for (const auto& f : fused) out.push_back(f.key);
  return out;
}

std::map<std::string, const Fused*> by_key(const std::vector<Fused>& fused) {
  std::map<std::string, const Fused*> out;
  for (const auto& f : fused) out[f.key] = &f;
  return out;
}

using Keys = std::vector<std::string>;

TEST(Fusion, ScoreNormalisesEachListMinMax) {
  // Lexical scores 10 / 6 / 2 -> 1 / 0.5 / 0; dense 0.9 / 0.5 -> 1 / 0.
  auto fused = fuse({list({{"a", 10}, {"b", 6}, {"c", 2}}), list({{"b", 0.9}, {"c", 0.5}})}, FusionMethod::kScore);
  ASSERT_EQ(fused.size(), 3u);
  auto at = by_key(fused);
  EXPECT_DOUBLE_EQ(at["a"]->score, 1.0);
  EXPECT_DOUBLE_EQ(at["b"]->score, 0.5 + 1.0);
  EXPECT_DOUBLE_EQ(at["c"]->score, 0.0 + 0.0);
  EXPECT_EQ(keys(fused), (Keys{"b", "a", "c"}));
  // Ranks per input list, 1-based, 0 where absent.
  EXPECT_EQ(at["a"]->ranks, (std::vector<int>{1, 0}));
  EXPECT_EQ(at["b"]->ranks, (std::vector<int>{2, 1}));
  EXPECT_EQ(at["c"]->ranks, (std::vector<int>{3, 2}));
}

TEST(Fusion, ScoreIgnoresTheEnginesScales) {
  // The same ranking at two scales fuses to the same scores.
  auto small = fuse({list({{"a", 0.3}, {"b", 0.2}, {"c", 0.1}})}, FusionMethod::kScore);
  auto large = fuse({list({{"a", 300}, {"b", 200}, {"c", 100}})}, FusionMethod::kScore);
  ASSERT_EQ(small.size(), large.size());
  for (size_t i = 0; i < small.size(); ++i) {
    EXPECT_EQ(small[i].key, large[i].key);
    EXPECT_NEAR(small[i].score, large[i].score, 1e-12);
  }
  // Negative scores (cosines) normalise the same way.
  auto neg = fuse({list({{"a", -0.1}, {"b", -0.2}, {"c", -0.3}})}, FusionMethod::kScore);
  EXPECT_EQ(keys(neg), (Keys{"a", "b", "c"}));
  EXPECT_NEAR(neg[1].score, 0.5, 1e-12);
}

TEST(Fusion, ScoreWeights) {
  // "a" tops list 1, "b" tops list 2; the heavier list decides.
  const std::vector<Candidate> one = {{"a", 5}, {"b", 1}};
  const std::vector<Candidate> two = {{"b", 0.8}, {"a", 0.2}};
  auto fused = fuse({list(one, 1.0), list(two, 3.0)}, FusionMethod::kScore);
  EXPECT_EQ(keys(fused), (Keys{"b", "a"}));
  EXPECT_DOUBLE_EQ(fused[0].score, 3.0);
  EXPECT_DOUBLE_EQ(fused[1].score, 1.0);
  fused = fuse({list(one, 2.0), list(two, 0.5)}, FusionMethod::kScore);
  EXPECT_EQ(keys(fused), (Keys{"a", "b"}));
  EXPECT_DOUBLE_EQ(fused[0].score, 2.0);
  EXPECT_DOUBLE_EQ(fused[1].score, 0.5);
  // Weight 0 silences a list, but its items still take part.
  fused = fuse({list(one, 1.0), list({{"z", 9}}, 0.0)}, FusionMethod::kScore);
  EXPECT_EQ(keys(fused), (Keys{"a", "b", "z"}));
  EXPECT_DOUBLE_EQ(by_key(fused)["z"]->score, 0.0);
}

TEST(Fusion, RrfFormula) {
  const double k = 60;
  auto fused = fuse({list({{"a", 9}, {"b", 8}, {"c", 7}}, 1.0), list({{"c", 0.9}, {"a", 0.1}}, 0.5)},
                    FusionMethod::kRrf, k);
  auto at = by_key(fused);
  EXPECT_DOUBLE_EQ(at["a"]->score, 1.0 / (k + 1) + 0.5 / (k + 2));
  EXPECT_DOUBLE_EQ(at["b"]->score, 1.0 / (k + 2));
  EXPECT_DOUBLE_EQ(at["c"]->score, 1.0 / (k + 3) + 0.5 / (k + 1));
  EXPECT_EQ(keys(fused), (Keys{"a", "c", "b"}));
  // RRF looks at ranks only: scores far apart or close fuse the same.
  auto again = fuse({list({{"a", 1e9}, {"b", 1}, {"c", 0}}, 1.0), list({{"c", 5}, {"a", 4.99}}, 0.5)},
                    FusionMethod::kRrf, k);
  ASSERT_EQ(again.size(), fused.size());
  for (size_t i = 0; i < fused.size(); ++i) {
    EXPECT_EQ(again[i].key, fused[i].key);
    EXPECT_DOUBLE_EQ(again[i].score, fused[i].score);
  }
  // k changes how much the top ranks dominate.
  auto small_k = fuse({list({{"a", 1}, {"b", 0}}), list({{"b", 1}, {"c", 0}})}, FusionMethod::kRrf, 1.0);
  auto sk = by_key(small_k);
  EXPECT_DOUBLE_EQ(sk["a"]->score, 1.0 / 2);
  EXPECT_DOUBLE_EQ(sk["b"]->score, 1.0 / 3 + 1.0 / 2);
  EXPECT_DOUBLE_EQ(sk["c"]->score, 1.0 / 3);
}

TEST(Fusion, ItemsMissingFromAListGetNothingFromIt) {
  for (auto method : {FusionMethod::kScore, FusionMethod::kRrf}) {
    auto fused = fuse({list({{"a", 3}, {"b", 2}, {"c", 1}}), list({{"x", 3}, {"y", 2}, {"z", 1}})}, method);
    ASSERT_EQ(fused.size(), 6u);
    for (const auto& f : fused) {
      ASSERT_EQ(f.ranks.size(), 2u);
      EXPECT_TRUE((f.ranks[0] == 0) != (f.ranks[1] == 0)) << f.key;
    }
    auto at = by_key(fused);
    // Disjoint lists of equal weight: the same rank in either list scores the same.
    EXPECT_DOUBLE_EQ(at["a"]->score, at["x"]->score);
    EXPECT_DOUBLE_EQ(at["b"]->score, at["y"]->score);
    // Ties break by key.
    EXPECT_EQ(keys(fused), (Keys{"a", "x", "b", "y", "c", "z"}));
  }
}

TEST(Fusion, DuplicateKeysKeepTheirBestEntry) {
  // Lists are best first, so the first occurrence is the best one.
  auto rrf = fuse({list({{"a", 3}, {"b", 2}, {"a", 1}})}, FusionMethod::kRrf, 60);
  ASSERT_EQ(rrf.size(), 2u);
  auto at = by_key(rrf);
  EXPECT_DOUBLE_EQ(at["a"]->score, 1.0 / 61);
  EXPECT_EQ(at["a"]->ranks, (std::vector<int>{1}));
  EXPECT_DOUBLE_EQ(at["b"]->score, 1.0 / 62);

  auto score = fuse({list({{"b", 4}, {"a", 3}, {"b", 0}})}, FusionMethod::kScore);
  ASSERT_EQ(score.size(), 2u);
  auto sat = by_key(score);
  EXPECT_DOUBLE_EQ(sat["b"]->score, 1.0);  // its first entry, not its last (0)
  EXPECT_EQ(sat["b"]->ranks, (std::vector<int>{1}));
  EXPECT_DOUBLE_EQ(sat["a"]->score, 0.75);
}

TEST(Fusion, TiesBreakByKey) {
  for (auto method : {FusionMethod::kScore, FusionMethod::kRrf}) {
    // Same score in one list: normalised equal, but RRF still ranks them by position.
    auto fused = fuse({list({{"m", 1}, {"c", 1}, {"x", 1}})}, method);
    if (method == FusionMethod::kScore) {
      EXPECT_EQ(keys(fused), (Keys{"c", "m", "x"}));
    } else {
      EXPECT_EQ(keys(fused), (Keys{"m", "c", "x"}));
    }
    // Mirror-image lists: every item ties with its twin.
    auto mirror = fuse({list({{"q", 2}, {"p", 1}}), list({{"p", 2}, {"q", 1}})}, method);
    EXPECT_EQ(keys(mirror), (Keys{"p", "q"}));
    EXPECT_DOUBLE_EQ(mirror[0].score, mirror[1].score);
  }
}

TEST(Fusion, EmptyInputs) {
  for (auto method : {FusionMethod::kScore, FusionMethod::kRrf}) {
    EXPECT_TRUE(fuse({}, method).empty());
    EXPECT_TRUE(fuse({list({}), list({})}, method).empty());
    // An empty list next to a full one changes nothing but the width of `ranks`.
    auto alone = fuse({list({{"a", 2}, {"b", 1}})}, method);
    auto with_empty = fuse({list({{"a", 2}, {"b", 1}}), list({})}, method);
    ASSERT_EQ(alone.size(), with_empty.size());
    for (size_t i = 0; i < alone.size(); ++i) {
      EXPECT_EQ(alone[i].key, with_empty[i].key);
      EXPECT_DOUBLE_EQ(alone[i].score, with_empty[i].score);
      EXPECT_EQ(with_empty[i].ranks.size(), 2u);
      EXPECT_EQ(with_empty[i].ranks[1], 0);
    }
  }
}

TEST(Fusion, SingleItemListsHaveSpanZero) {
  // One item (or all scores equal): min == max, every item counts as the list's best (1).
  auto one = fuse({list({{"a", 0.37}}, 2.0)}, FusionMethod::kScore);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_DOUBLE_EQ(one[0].score, 2.0);
  auto flat = fuse({list({{"a", 5}, {"b", 5}}), list({{"b", 0.1}})}, FusionMethod::kScore);
  auto at = by_key(flat);
  EXPECT_DOUBLE_EQ(at["a"]->score, 1.0);
  EXPECT_DOUBLE_EQ(at["b"]->score, 2.0);
  EXPECT_EQ(keys(flat), (Keys{"b", "a"}));
  // No NaN from a zero span, whatever the score.
  for (double s : {0.0, -1.0, 1e300}) {
    auto f = fuse({list({{"z", s}})}, FusionMethod::kScore);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_DOUBLE_EQ(f[0].score, 1.0) << s;
  }
  auto rrf = fuse({list({{"a", 0.37}})}, FusionMethod::kRrf, 60);
  EXPECT_DOUBLE_EQ(rrf[0].score, 1.0 / 61);
}

}  // namespace
}  // namespace mcdewey::search
