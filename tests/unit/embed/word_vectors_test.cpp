#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "embed/word_vectors.h"
#include "support/files.h"
#include "support/temp_dir.h"

namespace mcdewey::embed {
namespace {

const std::filesystem::path kFixture = std::filesystem::path(MCDEWEY_TEST_DATA) / "embed" / "tiny-wink.json";


double cosine(const float* a, const float* b, int d) {
  double ab = 0, aa = 0, bb = 0;
  for (int i = 0; i < d; ++i) {
    ab += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
  }
  return ab / std::sqrt(aa * bb);
}

TEST(WordVectors, WriteOpenRoundTrip) {
  testing::TempDir tmp;
  const int d = 8;
  std::mt19937 rng(7);
  std::normal_distribution<float> nd(0.0f, 1.0f);
  WordVectorsWriter w(d);
  std::vector<std::vector<float>> vecs;
  for (int i = 0; i < 1000; ++i) {
    std::vector<float> v(d);
    for (float& x : v) x = nd(rng);
    vecs.push_back(v);
    EXPECT_TRUE(w.add("word" + std::to_string(i), v.data()));
  }
  EXPECT_FALSE(w.add("word3", vecs[0].data()));  // duplicate keeps the first row
  EXPECT_FALSE(w.add("", vecs[0].data()));
  EXPECT_GT(w.min_cosine(), 0.999);
  ASSERT_TRUE(w.write(tmp / "v.mcdwv", "test-model").is_ok());

  auto r = WordVectors::open(tmp / "v.mcdwv");
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  const WordVectors& wv = **r;
  EXPECT_EQ(wv.dims(), d);
  EXPECT_EQ(wv.size(), 1000u);
  EXPECT_EQ(wv.name(), "test-model");
  EXPECT_TRUE(wv.verify().is_ok());
  std::vector<float> out(d);
  for (int i = 0; i < 1000; i += 37) {
    auto row = wv.find("word" + std::to_string(i));
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(*row, uint32_t(i));  // rows keep insertion (frequency) order
    EXPECT_EQ(wv.word(*row), "word" + std::to_string(i));
    wv.vector(*row, out.data());
    EXPECT_GT(cosine(out.data(), vecs[size_t(i)].data(), d), 0.999);
  }
  EXPECT_FALSE(wv.find("word1000").has_value());
  EXPECT_FALSE(wv.find("").has_value());
  std::vector<float> acc(d, 1.0f);
  wv.add_to(5, 2.0f, acc.data());
  wv.vector(5, out.data());
  for (int k = 0; k < d; ++k) EXPECT_FLOAT_EQ(acc[size_t(k)], 1.0f + 2.0f * out[size_t(k)]);
}

class DamagedFile : public ::testing::Test {
 protected:
  void SetUp() override {
    WordVectorsWriter w(4);
    const float a[4] = {1, 2, 3, 4}, b[4] = {-1, 0, 1, 0.5f};
    ASSERT_TRUE(w.add("alpha", a));
    ASSERT_TRUE(w.add("beta", b));
    ASSERT_TRUE(w.write(tmp_ / "good.mcdwv", "t").is_ok());
    good_ = testing::read_all(tmp_ / "good.mcdwv");
  }
  Status open_with(const std::string& bytes) {
    testing::write_all(tmp_ / "bad.mcdwv", bytes);
    auto r = WordVectors::open(tmp_ / "bad.mcdwv");
    return r.status();
  }
  testing::TempDir tmp_;
  std::string good_;
};

TEST_F(DamagedFile, MissingIsNotFound) {
  EXPECT_EQ(WordVectors::open(tmp_ / "nope.mcdwv").status().code(), ErrorCode::kNotFound);
}

TEST_F(DamagedFile, WrongMagicIsUnsupported) {
  std::string b = good_;
  b[0] = 'X';
  EXPECT_EQ(open_with(b).code(), ErrorCode::kUnsupported);
  EXPECT_EQ(open_with("{\"words\": [\"the\"]} and more text to pass 8 bytes").code(), ErrorCode::kUnsupported);
}

TEST_F(DamagedFile, NewerVersionIsUnsupported) {
  std::string b = good_;
  uint32_t v = kWordVectorsVersion + 1;
  std::memcpy(b.data() + 8, &v, 4);
  Status s = open_with(b);
  EXPECT_EQ(s.code(), ErrorCode::kUnsupported);
  EXPECT_NE(s.message().find("version"), std::string::npos);
}

TEST_F(DamagedFile, TruncatedIsCorrupt) {
  EXPECT_EQ(open_with(good_.substr(0, good_.size() - 1)).code(), ErrorCode::kCorrupt);
  EXPECT_EQ(open_with(good_.substr(0, 100)).code(), ErrorCode::kCorrupt);
  EXPECT_EQ(open_with(good_.substr(0, 4)).code(), ErrorCode::kCorrupt);
  EXPECT_EQ(open_with(std::string()).code(), ErrorCode::kCorrupt);
}

TEST_F(DamagedFile, BadOffsetsAreCorrupt) {
  std::string b = good_;
  uint64_t off = uint64_t(b.size()) + 64;  // rows offset past the end
  std::memcpy(b.data() + 40, &off, 8);
  EXPECT_EQ(open_with(b).code(), ErrorCode::kCorrupt);
  b = good_;
  uint32_t dims = 0;
  std::memcpy(b.data() + 12, &dims, 4);
  EXPECT_EQ(open_with(b).code(), ErrorCode::kCorrupt);
}

TEST_F(DamagedFile, FlippedPayloadFailsVerify) {
  std::string b = good_;
  b[b.size() - 2] ^= 0x5a;  // inside the strings
  testing::write_all(tmp_ / "flip.mcdwv", b);
  auto r = WordVectors::open(tmp_ / "flip.mcdwv");
  ASSERT_TRUE(r.is_ok()) << "open does not read the payload";
  EXPECT_EQ((*r)->verify().code(), ErrorCode::kCorrupt);
}

TEST(ConvertWink, FixtureConverts) {
  testing::TempDir tmp;
  auto rep = convert_wink_json(kFixture, tmp / "tiny.mcdwv", "tiny-wink");
  ASSERT_TRUE(rep.is_ok()) << rep.status().to_string();
  EXPECT_EQ(rep->words, 201u);
  EXPECT_EQ(rep->dims, 16);
  EXPECT_EQ(rep->skipped, 0u);
  EXPECT_GT(rep->min_cosine, 0.999);
  auto wv = WordVectors::open(tmp / "tiny.mcdwv");
  ASSERT_TRUE(wv.is_ok());
  EXPECT_EQ((*wv)->size(), 201u);
  EXPECT_EQ((*wv)->word(0), "the");  // rank order kept
  EXPECT_TRUE((*wv)->find("kerberos").has_value());
  EXPECT_FALSE((*wv)->find("cucm").has_value());
  EXPECT_TRUE((*wv)->verify().is_ok());
}

TEST(ConvertWink, HandlesEscapesAndOrdersByRank) {
  testing::TempDir tmp;
  // Entries out of rank order, a \u escape, extra keys before and after.
  testing::write_all(tmp / "in.json",
              "{\"precision\":8,\"words\":[\"b\",\"a\"],\"dimensions\":2,\n\"vectors\":{"
              "\"caf\\u00e9\":[0.5,0.5,0.7,1],\"zeta\":[1,0,1,0],\"x\\\"y\":[0,1,1,2]},\"unkVector\":[0,0,0,-1]}");
  auto rep = convert_wink_json(tmp / "in.json", tmp / "out.mcdwv");
  ASSERT_TRUE(rep.is_ok()) << rep.status().to_string();
  EXPECT_EQ(rep->words, 3u);
  auto wv = WordVectors::open(tmp / "out.mcdwv");
  ASSERT_TRUE(wv.is_ok());
  EXPECT_EQ((*wv)->word(0), "zeta");
  EXPECT_EQ((*wv)->word(1), "caf\xc3\xa9");
  EXPECT_EQ((*wv)->word(2), "x\"y");
  EXPECT_EQ((*wv)->name(), "wink-sg-100d");
}

TEST(ConvertWink, MalformedInputIsInvalidArgument) {
  testing::TempDir tmp;
  for (const std::string bad : {"[1,2,3]", "{\"dimensions\":2,\"vectors\":{\"a\":[1,", "{\"dimensions\":2}",
                                "{\"vectors\":{\"a\":[1,x]}}"}) {
    testing::write_all(tmp / "bad.json", bad);
    auto r = convert_wink_json(tmp / "bad.json", tmp / "bad.mcdwv");
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(convert_wink_json(tmp / "missing.json", tmp / "x.mcdwv").status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace mcdewey::embed
