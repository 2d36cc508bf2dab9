// Term-level matching (embed/term_matcher.h) over the built-in model, with the SYNTHETIC
// fixture vectors (tests/data/embed/tiny-wink.json: topic clusters, random filler words):
// an exact word scores its full weight, a topic neighbour part of it, an unrelated word
// nothing; words the model does not know still match exactly; never negative.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "embed/builtin_embedder.h"
#include "embed/term_matcher.h"
#include "embed/word_vectors.h"
#include "support/temp_dir.h"

namespace mcdewey::embed {
namespace {

namespace stdfs = std::filesystem;

class TermMatch : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new testing::TempDir();
    auto rep = convert_wink_json(stdfs::path(MCDEWEY_TEST_DATA) / "embed" / "tiny-wink.json", *tmp_ / "tiny.mcdwv",
                                 "tiny-wink");
    ASSERT_TRUE(rep.is_ok()) << rep.status().to_string();
  }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }
  void SetUp() override {
    BuiltinOptions o;
    o.domain_adaptation = false;
    auto e = open_builtin(*tmp_ / "tiny.mcdwv", o);
    ASSERT_TRUE(e.is_ok()) << e.status().to_string();
    model_ = std::move(e.value());
  }

  std::unique_ptr<TermMatcher> matcher(std::vector<std::string> words, TermMatchOptions o = {}) const {
    return model_->term_matcher(words, o);
  }
  // The weight term_matcher() gives a query word: a / (a + p(word)).
  double weight(const std::string& word, const TermMatchOptions& o = {}) const {
    std::vector<float> v(static_cast<size_t>(model_->vectors().dims()));
    double p = 0;
    if (!model_->unit_word_vector(word, v.data(), &p)) p = 0;
    return o.sif_a / (o.sif_a + p);
  }
  double cosine(const std::string& a, const std::string& b) const {
    const size_t d = static_cast<size_t>(model_->vectors().dims());
    std::vector<float> x(d), y(d);
    double p = 0;
    EXPECT_TRUE(model_->unit_word_vector(a, x.data(), &p)) << a;
    EXPECT_TRUE(model_->unit_word_vector(b, y.data(), &p)) << b;
    double c = 0;
    for (size_t i = 0; i < d; ++i) c += double(x[i]) * y[i];
    return c;
  }

  static testing::TempDir* tmp_;
  std::unique_ptr<BuiltinEmbedder> model_;
};
testing::TempDir* TermMatch::tmp_ = nullptr;

TEST_F(TermMatch, ExactWordScoresTheMaximum) {
  auto m = matcher({"phone"});
  ASSERT_NE(m, nullptr);
  EXPECT_GT(m->max_score(), 0.0);
  EXPECT_NEAR(m->max_score(), weight("phone"), 1e-12);
  EXPECT_DOUBLE_EQ(m->score("pick up the phone"), m->max_score());
  EXPECT_DOUBLE_EQ(m->score("PHONE"), m->max_score());  // passages are lower-cased like queries
  EXPECT_DOUBLE_EQ(m->score("phone phone phone"), m->max_score());  // coverage, not frequency
}

TEST_F(TermMatch, TopicNeighbourScoresPartOfIt) {
  // "handset" and "softphone" are telephony words like "phone" in the fixture.
  for (const std::string near : {"handset", "softphone", "voicemail"}) {
    const double c = cosine("phone", near);
    ASSERT_GT(c, 0.6) << near << ": the fixture's topic words should be close";
    auto m = matcher({"phone"});
    const double s = m->score("use the " + near);
    EXPECT_GT(s, 0.0) << near;
    EXPECT_LT(s, m->max_score()) << near;
    // score = w * (cos - theta) / (1 - theta), theta = 0.6 by default.
    EXPECT_NEAR(s, weight("phone") * (c - 0.6) / 0.4, 1e-5) << near;
    // The best passage word counts, not the sum.
    EXPECT_NEAR(m->score(near + " " + near + " ocean"), s, 1e-12);
  }
  // A higher threshold turns weak neighbours off.
  TermMatchOptions strict;
  strict.threshold = 0.999;
  EXPECT_EQ(matcher({"phone"}, strict)->score("handset"), 0.0);
  EXPECT_DOUBLE_EQ(matcher({"phone"}, strict)->score("phone"), matcher({"phone"}, strict)->max_score());
}

TEST_F(TermMatch, UnrelatedWordsScoreNothing) {
  auto m = matcher({"phone"});
  for (const char* text : {"ocean mountain river", "painting actor", "the of and", "", "zzqx 12345"}) {
    EXPECT_EQ(m->score(text), 0.0) << text;
  }
  // Another topic's words are far too (network vs telephony; some cosines are negative,
  // which must not subtract).
  auto net = matcher({"router"});
  ASSERT_NE(net, nullptr);
  ASSERT_LT(cosine("router", "mountain"), 0.0);
  EXPECT_EQ(net->score("handset voicemail mountain"), 0.0);
  EXPECT_GT(net->score("vlan"), 0.0);
  EXPECT_DOUBLE_EQ(net->score("vlan mountain"), net->score("vlan"));
}

TEST_F(TermMatch, UnknownQueryWordsStillMatchExactly) {
  // "cucm" and "x509" are not in the fixture's vocabulary (nor in the real model's).
  ASSERT_FALSE(model_->word_vector("cucm").has_value());
  auto m = matcher({"cucm"});
  ASSERT_NE(m, nullptr);
  EXPECT_DOUBLE_EQ(m->max_score(), 1.0);  // p = 0: the rarest kind of word, full weight
  EXPECT_DOUBLE_EQ(m->score("restart cucm services"), 1.0);
  EXPECT_EQ(m->score("restart the phone services"), 0.0);
  auto both = matcher({"cucm", "phone"});
  EXPECT_NEAR(both->score("cucm handset"), 1.0 + matcher({"phone"})->score("handset"), 1e-12);
}

TEST_F(TermMatch, MaxScoreIsTheSumOfWeights) {
  const std::vector<std::string> words = {"phone", "certificate", "cucm", "router"};
  auto m = matcher(words);
  ASSERT_NE(m, nullptr);
  double sum = 0;
  for (const auto& w : words) sum += weight(w);
  EXPECT_NEAR(m->max_score(), sum, 1e-12);
  EXPECT_NEAR(m->score("the cucm router holds a phone certificate"), m->max_score(), 1e-12);
  // Duplicated query words count once.
  auto dup = matcher({"phone", "phone", "certificate", "phone"});
  EXPECT_NEAR(dup->max_score(), weight("phone") + weight("certificate"), 1e-12);
  // Frequent words weigh less: a stop word's weight is below a rare topic word's.
  EXPECT_LT(weight("the"), weight("handset"));
  // A larger sif_a flattens the weights towards 1.
  TermMatchOptions flat;
  flat.sif_a = 1e6;
  EXPECT_NEAR(matcher(words, flat)->max_score(), double(words.size()), 1e-3);
}

TEST_F(TermMatch, WordsTogetherOutscoreWordsFarApart) {
  // Soft proximity: half the score is the best 50-token window's.
  std::string filler;
  for (int i = 0; i < 60; ++i) filler += " ocean";
  const std::string together = "phone certificate" + filler;
  const std::string apart = "phone" + filler + " certificate";
  const double wp = weight("phone"), wc = weight("certificate");
  auto m = matcher({"phone", "certificate"});
  ASSERT_NE(m, nullptr);
  EXPECT_NEAR(m->score(together), wp + wc, 1e-12);
  EXPECT_NEAR(m->score(apart), 0.5 * (wp + wc) + 0.5 * std::max(wp, wc), 1e-12);
  EXPECT_LT(m->score(apart), m->score(together));
  // A near word inside the window counts with its partial match.
  const double soft = matcher({"phone"})->score("handset");
  EXPECT_NEAR(m->score("handset certificate" + filler), soft + wc, 1e-9);
  // The window's share is configurable; 0 (or no window) scores the whole passage only.
  TermMatchOptions whole;
  whole.window_share = 0;
  EXPECT_NEAR(matcher({"phone", "certificate"}, whole)->score(apart), wp + wc, 1e-12);
  whole = {};
  whole.window = 0;
  EXPECT_NEAR(matcher({"phone", "certificate"}, whole)->score(apart), wp + wc, 1e-12);
  // A passage no longer than the window is its own best window.
  TermMatchOptions narrow;
  narrow.window = 3;
  EXPECT_NEAR(matcher({"phone", "certificate"}, narrow)->score("phone ocean certificate"), wp + wc, 1e-12);
  EXPECT_NEAR(matcher({"phone", "certificate"}, narrow)->score("phone ocean ocean certificate"),
              0.5 * (wp + wc) + 0.5 * std::max(wp, wc), 1e-12);
  // Windows slide one token at a time: the pair is found wherever it sits.
  for (int at = 0; at <= 60; at += 7) {
    std::string text;
    for (int i = 0; i < 60; ++i) text += (i == at ? " phone certificate" : " ocean");
    EXPECT_NEAR(m->score(text), wp + wc, 1e-12) << at;
  }
}

TEST_F(TermMatch, NoWordsNoMatcher) {
  EXPECT_EQ(matcher({}), nullptr);
  EXPECT_EQ(matcher({""}), nullptr);
}

TEST_F(TermMatch, NeverNegativeNeverAboveMax) {
  const std::vector<std::string> vocab = {"phone", "handset", "certificate", "password", "zone", "resolver",
                                          "router", "vlan",   "ocean",       "king",     "the",  "cucm",
                                          "kerberos", "jabber", "12345",     "x509",     "dial", "tls"};
  std::mt19937 rng(7);
  for (int q = 0; q < 20; ++q) {
    std::vector<std::string> query;
    for (int i = 0; i < 3; ++i) query.push_back(vocab[rng() % vocab.size()]);
    auto m = matcher(query);
    ASSERT_NE(m, nullptr);
    for (int p = 0; p < 50; ++p) {
      std::string passage;
      for (int i = 0; i < 8; ++i) passage += vocab[rng() % vocab.size()] + " ";
      const double s = m->score(passage);
      EXPECT_GE(s, 0.0) << passage;
      EXPECT_LE(s, m->max_score() + 1e-12) << passage;
    }
  }
}

TEST_F(TermMatch, WeightsFollowTheLibraryAfterPrepare) {
  // After prepare(), p(t) is the word's frequency in the library: a word the library uses
  // everywhere weighs less than one it uses once.
  std::vector<std::string> corpus;
  for (int i = 0; i < 50; ++i) corpus.push_back("the phone and the handset and the phone again " + std::to_string(i));
  corpus.push_back("one certificate");
  std::vector<std::string_view> views(corpus.begin(), corpus.end());
  ASSERT_TRUE(model_->prepare(views).is_ok());
  auto m = matcher({"phone", "certificate"});
  ASSERT_NE(m, nullptr);
  EXPECT_LT(weight("phone"), weight("certificate"));
  EXPECT_NEAR(m->max_score(), weight("phone") + weight("certificate"), 1e-12);
  EXPECT_LT(matcher({"phone"})->score("phone"), matcher({"certificate"})->score("certificate"));
}

}  // namespace
}  // namespace mcdewey::embed
