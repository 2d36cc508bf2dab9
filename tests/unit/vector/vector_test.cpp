#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <random>
#include <set>

#include "support/temp_dir.h"
#include "vector/index_file.h"
#include "vector/vector_index.h"

namespace mcdewey::vector {
namespace {

// Clustered unit vectors (a mixture of Gaussians, normalised): closer to real sentence
// vectors than uniform noise, and harder for a graph index.
struct Data {
  int dims = 0;
  std::vector<int64_t> ids;
  std::vector<float> vecs;
};

void normalise(float* v, int d) {
  double n = 0;
  for (int j = 0; j < d; ++j) n += double(v[j]) * v[j];
  n = std::sqrt(n);
  for (int j = 0; j < d; ++j) v[j] = static_cast<float>(v[j] / n);
}

Data make_data(size_t n, int d, uint32_t seed, int clusters = 40) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0, 1);
  std::vector<float> centers(static_cast<size_t>(clusters * d));
  for (auto& c : centers) c = g(rng);
  Data out;
  out.dims = d;
  for (size_t i = 0; i < n; ++i) {
    out.ids.push_back(static_cast<int64_t>(1000 + i * 3));  // sparse ids, like row ids after deletes
    const float* c = centers.data() + (rng() % clusters) * d;
    for (int j = 0; j < d; ++j) out.vecs.push_back(c[j] + 0.6f * g(rng));
    normalise(out.vecs.data() + i * d, d);
  }
  return out;
}

std::vector<float> random_query(int d, std::mt19937& rng) {
  std::normal_distribution<float> g(0, 1);
  std::vector<float> q(static_cast<size_t>(d));
  for (auto& x : q) x = g(rng);
  normalise(q.data(), d);
  return q;
}

// The float oracle: brute force in double precision.
std::vector<int64_t> oracle(const Data& data, const std::vector<float>& q, size_t k, const IdFilter* allow = nullptr) {
  std::vector<std::pair<double, int64_t>> all;
  for (size_t i = 0; i < data.ids.size(); ++i) {
    if (allow && !allow->contains(data.ids[i])) continue;
    double s = 0;
    for (int j = 0; j < data.dims; ++j) s += double(q[j]) * data.vecs[i * data.dims + j];
    all.push_back({-s, data.ids[i]});
  }
  std::sort(all.begin(), all.end());
  std::vector<int64_t> out;
  for (size_t i = 0; i < std::min(k, all.size()); ++i) out.push_back(all[i].second);
  return out;
}

double recall(const std::vector<int64_t>& truth, const std::vector<Neighbor>& got) {
  std::set<int64_t> t(truth.begin(), truth.end());
  size_t hit = 0;
  for (const auto& n : got) hit += t.count(n.id);
  return truth.empty() ? 1.0 : double(hit) / double(truth.size());
}

std::shared_ptr<const ExactIndex> exact_of(const Data& d) {
  auto x = ExactIndex::build(d.dims, d.ids, d.vecs);
  EXPECT_TRUE(x.is_ok()) << x.status().message();
  return std::shared_ptr<const ExactIndex>(std::move(x.value()));
}

TEST(ExactIndex, MatchesTheFloatOracle) {
  Data d = make_data(3000, 48, 7);
  auto exact = exact_of(d);
  std::mt19937 rng(11);
  double total = 0;
  for (int i = 0; i < 50; ++i) {
    auto q = random_query(d.dims, rng);
    auto got = exact->search(q, 10);
    ASSERT_TRUE(got.is_ok());
    ASSERT_EQ(got->size(), 10u);
    EXPECT_TRUE(std::is_sorted(got->begin(), got->end(),
                               [](const Neighbor& a, const Neighbor& b) { return a.score > b.score; }));
    total += recall(oracle(d, q, 10), *got);
  }
  // int8 codes only swap near-ties.
  EXPECT_GE(total / 50, 0.97);
}

TEST(ExactIndex, RejectsBadInput) {
  EXPECT_FALSE(ExactIndex::build(4, {1, 2}, std::vector<float>(7)).is_ok());
  EXPECT_FALSE(ExactIndex::build(2, {1, 1}, std::vector<float>(4, 0.5f)).is_ok());
  auto x = ExactIndex::build(2, {1}, std::vector<float>{1, 0});
  ASSERT_TRUE(x.is_ok());
  EXPECT_EQ((*x)->search(std::vector<float>{1, 0, 0}, 1).status().code(), ErrorCode::kInvalidArgument);
}

TEST(ExactIndex, ZeroVectorScoresZero) {
  auto x = ExactIndex::build(2, {1, 2}, std::vector<float>{0, 0, 1, 0});
  ASSERT_TRUE(x.is_ok());
  auto got = (*x)->search(std::vector<float>{0, 1}, 2);
  ASSERT_TRUE(got.is_ok());
  ASSERT_EQ(got->size(), 2u);
  EXPECT_FLOAT_EQ((*got)[0].score, 0.0f);
  EXPECT_FLOAT_EQ((*got)[1].score, 0.0f);
  EXPECT_EQ((*got)[0].id, 1);  // ties break by id
}

TEST(HnswIndex, RecallAgainstExactOracleIsAtLeast099) {
  Data d = make_data(10000, 64, 3);
  auto exact = exact_of(d);
  HnswParams params;
  params.seed = 5;
  auto h = HnswIndex::build(exact, params);
  ASSERT_TRUE(h.is_ok()) << h.status().message();
  std::mt19937 rng(17);
  double total = 0;
  const int queries = 200;
  for (int i = 0; i < queries; ++i) {
    // Queries near the data, as real queries are.
    auto q = random_query(d.dims, rng);
    const size_t base = rng() % d.ids.size();
    for (int j = 0; j < d.dims; ++j) q[j] = d.vecs[base * d.dims + j] + 0.3f * q[j];
    normalise(q.data(), d.dims);
    auto truth = exact->search(q, 10);
    auto got = (*h)->search(q, 10);
    ASSERT_TRUE(got.is_ok());
    std::vector<int64_t> t;
    for (const auto& n : *truth) t.push_back(n.id);
    total += recall(t, *got);
  }
  EXPECT_GE(total / queries, 0.99);
}

TEST(HnswIndex, FiltersAreExactAndNeverShort) {
  Data d = make_data(6000, 32, 9);
  auto exact = exact_of(d);
  auto h = HnswIndex::build(exact, HnswParams{});
  ASSERT_TRUE(h.is_ok());
  std::mt19937 rng(23);
  // Shares from tiny (exact path) to large (graph + post-filter), including subsets smaller
  // than k and subsets concentrated far from the query.
  for (double share : {0.0005, 0.002, 0.05, 0.25, 0.5, 0.9}) {
    std::vector<int64_t> allowed;
    for (size_t i = 0; i < d.ids.size(); ++i) {
      if (std::uniform_real_distribution<double>(0, 1)(rng) < share) allowed.push_back(d.ids[i]);
    }
    allowed.push_back(424242);  // an id the index does not hold is harmless
    IdFilter allow(allowed);
    for (int i = 0; i < 20; ++i) {
      auto q = random_query(d.dims, rng);
      auto got = (*h)->search(q, 20, &allow);
      ASSERT_TRUE(got.is_ok());
      const auto truth = oracle(d, q, 20, &allow);
      EXPECT_EQ(got->size(), truth.size()) << "share " << share;
      for (const auto& n : *got) EXPECT_TRUE(allow.contains(n.id)) << "leaked id " << n.id;
      EXPECT_GE(recall(truth, *got), 0.9) << "share " << share;
    }
  }
}

TEST(IndexFile, RoundTripsAndDetectsStaleAndCorruptFiles) {
  testing::TempDir tmp;
  Data d = make_data(2000, 16, 4);
  auto exact = exact_of(d);
  auto h = HnswIndex::build(exact, HnswParams{});
  ASSERT_TRUE(h.is_ok());
  const auto path = tmp / "vectors/m.idx";
  IndexFileInfo info{"test:hash", 16, 2000, "sig-1"};
  ASSERT_TRUE(save_index_file(path, info, *exact, h->get()).is_ok());

  auto loaded = load_index_file(path, info, HnswParams{});
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().message();
  EXPECT_EQ(loaded->index->size(), 2000u);
  std::mt19937 rng(1);
  auto q = random_query(16, rng);
  auto a = (*h)->search(q, 5);
  auto b = loaded->index->search(q, 5);
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ((*a)[i].id, (*b)[i].id);

  IndexFileInfo other = info;
  other.signature = "sig-2";
  EXPECT_EQ(load_index_file(path, other, HnswParams{}).status().code(), ErrorCode::kConflict);
  other = info;
  other.model = "test:other";
  EXPECT_EQ(load_index_file(path, other, HnswParams{}).status().code(), ErrorCode::kConflict);
  EXPECT_EQ(load_index_file(tmp / "vectors/none.idx", info, HnswParams{}).status().code(), ErrorCode::kNotFound);

  // Flip a byte of the payload, then of the graph, then truncate.
  auto patch = [](const std::filesystem::path& p, long off) {
    std::fstream f(p, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(off, std::ios::end);
    char c;
    f.read(&c, 1);
    c ^= 0x5a;
    f.seekp(off, std::ios::end);
    f.write(&c, 1);
  };
  patch(path, -3);
  EXPECT_EQ(load_index_file(path, info, HnswParams{}).status().code(), ErrorCode::kCorrupt);
  ASSERT_TRUE(save_index_file(path, info, *exact, h->get()).is_ok());
  patch(std::filesystem::path(path.string() + ".hnsw"), -100);
  EXPECT_EQ(load_index_file(path, info, HnswParams{}).status().code(), ErrorCode::kCorrupt);
  ASSERT_TRUE(save_index_file(path, info, *exact, nullptr).is_ok());
  EXPECT_TRUE(load_index_file(path, info, HnswParams{}).is_ok());
  std::filesystem::resize_file(path, 30);
  EXPECT_EQ(load_index_file(path, info, HnswParams{}).status().code(), ErrorCode::kCorrupt);
  {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f << "garbage";
  }
  EXPECT_EQ(load_index_file(path, info, HnswParams{}).status().code(), ErrorCode::kCorrupt);
}

TEST(IndexFile, ModelNamesBecomeSafeFileNames) {
  EXPECT_EQ(model_file_stem("builtin:wink-sg-100d"), "builtin_wink-sg-100d");
  EXPECT_EQ(model_file_stem("http:a/b/../c"), "http_a_b_.._c");
  EXPECT_EQ(model_file_stem(""), "m");
}

}  // namespace
}  // namespace mcdewey::vector
