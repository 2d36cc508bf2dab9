#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "embed/builtin_embedder.h"
#include "embed/word_vectors.h"
#include "support/temp_dir.h"

namespace mcdewey::embed {
namespace {

namespace stdfs = std::filesystem;

double cosine(const std::vector<float>& a, const std::vector<float>& b) {
  double ab = 0, aa = 0, bb = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    ab += double(a[i]) * b[i];
    aa += double(a[i]) * a[i];
    bb += double(b[i]) * b[i];
  }
  return (aa == 0 || bb == 0) ? 0.0 : ab / std::sqrt(aa * bb);
}
double l2(const std::vector<float>& a) {
  double s = 0;
  for (float x : a) s += double(x) * x;
  return std::sqrt(s);
}

// A toy library: sentences about four topics built from the fixture's topic words, with
// library jargon the vectors lack ("cucm" with telephony, "tacacs" with security) or have
// meaningless vectors for ("kerberos" with security, "jabber" with telephony).
std::vector<std::string> toy_corpus(int per_topic = 100, uint32_t seed = 1) {
  const std::vector<std::vector<std::string>> topics = {
      {"call", "phone", "voicemail", "extension", "dial", "ring", "trunk", "caller", "pbx", "handset", "conference",
       "hold", "line", "ringtone", "dialplan", "callee", "busy", "forward", "pickup", "softphone", "headset"},
      {"password", "certificate", "encryption", "key", "authentication", "login", "token", "credential", "secure",
       "cipher", "tls", "ssl", "trust", "signature", "hash", "account", "permission", "role", "admin", "privilege"},
      {"domain", "zone", "record", "resolver", "query", "cache", "address", "forwarder", "lookup", "nameserver",
       "hostname", "recursion", "delegation", "serial", "ttl", "reverse", "primary", "secondary", "glue"},
      {"router", "switch", "packet", "interface", "vlan", "port", "routing", "ethernet", "subnet", "gateway",
       "bandwidth", "latency", "link", "frame", "mtu", "bridge", "multicast", "broadcast"},
  };
  const std::vector<std::vector<std::string>> jargon = {{"cucm", "jabber"}, {"tacacs", "kerberos"}, {}, {}};
  const std::vector<std::string> stop = {"the", "of", "and", "to", "in", "is", "for", "on", "with", "you", "can"};
  std::mt19937 rng(seed);
  std::vector<std::string> out;
  for (int i = 0; i < per_topic; ++i) {
    for (size_t t = 0; t < topics.size(); ++t) {
      std::string s;
      for (int k = 0; k < 12; ++k) {
        const auto& pool = (k % 3 == 1) ? stop : topics[t];
        s += pool[rng() % pool.size()];
        s += ' ';
        if (k == 5 && !jargon[t].empty()) s += jargon[t][size_t(i) % jargon[t].size()] + " ";
      }
      out.push_back(s);
    }
  }
  return out;
}

std::vector<std::string_view> views(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

class Builtin : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new testing::TempDir();
    auto rep = convert_wink_json(stdfs::path(MCDEWEY_TEST_DATA) / "embed" / "tiny-wink.json", model_path(), "tiny-wink");
    ASSERT_TRUE(rep.is_ok()) << rep.status().to_string();
  }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }
  static stdfs::path model_path() { return *tmp_ / "tiny.mcdwv"; }
  static std::unique_ptr<BuiltinEmbedder> open(BuiltinOptions o = {}) {
    auto r = open_builtin(model_path(), o);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? std::move(*r) : nullptr;
  }
  static BuiltinOptions no_adaptation() {
    BuiltinOptions o;
    o.domain_adaptation = false;
    return o;
  }
  static BuiltinOptions adaptation() {
    BuiltinOptions o;
    o.domain_adaptation = true;
    return o;
  }
  static testing::TempDir* tmp_;
};
testing::TempDir* Builtin::tmp_ = nullptr;

TEST_F(Builtin, IdentityAndUnpreparedUse) {
  EXPECT_FALSE(BuiltinOptions{}.domain_adaptation);  // opt-in (measured: docs/design-notes.md)
  auto e = open();
  EXPECT_EQ(e->identity().name, "builtin:tiny-wink");
  EXPECT_EQ(e->identity().dims, 16);
  EXPECT_EQ(e->state_fingerprint(), "");
  EXPECT_EQ(*e->save_state(), "");
  auto v = e->embed({"configure the router interface", "zzz qqq 12345", ""});
  ASSERT_TRUE(v.is_ok());
  ASSERT_EQ(v->size(), 3u);
  EXPECT_NEAR(l2((*v)[0]), 1.0, 1e-5);
  EXPECT_EQ(l2((*v)[1]), 0.0);  // no known word: all zeros
  EXPECT_EQ(l2((*v)[2]), 0.0);
  auto q = e->embed_query("configure the router interface");
  ASSERT_TRUE(q.is_ok());
  EXPECT_EQ(*q, (*v)[0]);
}

TEST_F(Builtin, TopicsAreCloserThanOtherTopics) {
  auto e = open(no_adaptation());
  auto corpus = toy_corpus();
  ASSERT_TRUE(e->prepare(views(corpus)).is_ok());
  auto tel1 = e->embed_one("the caller put the call on hold and forward to voicemail");
  auto tel2 = e->embed_one("dial the extension from the softphone handset");
  auto sec = e->embed_one("the password and the certificate for authentication");
  auto dns = e->embed_one("the resolver sends a query to the nameserver for the zone");
  EXPECT_GT(cosine(tel1, tel2), cosine(tel1, sec) + 0.2);
  EXPECT_GT(cosine(tel1, tel2), cosine(tel1, dns) + 0.2);
  EXPECT_GT(cosine(sec, e->embed_one("login token credential")), cosine(sec, dns) + 0.2);
}

TEST_F(Builtin, SifDownweightsFrequentWords) {
  auto e = open(no_adaptation());
  auto corpus = toy_corpus();
  ASSERT_TRUE(e->prepare(views(corpus)).is_ok());
  // Function words are frequent in the library: padding a query with them barely moves it.
  auto plain = e->embed_one("vlan");
  auto padded = e->embed_one("the vlan of the and to in is for on with");
  EXPECT_GT(cosine(plain, padded), 0.9);
}

TEST_F(Builtin, CommonComponentRemovalSpreadsVectors) {
  auto corpus = toy_corpus();
  auto mean_cross_topic_cosine = [&](bool remove) {
    BuiltinOptions o = no_adaptation();
    o.remove_common_component = remove;
    auto e = open(o);
    EXPECT_TRUE(e->prepare(views(corpus)).is_ok());
    double sum = 0;
    int n = 0;
    for (size_t i = 0; i + 1 < 40; ++i) {
      auto a = e->embed_one(corpus[i]);
      auto b = e->embed_one(corpus[i + 1]);  // the next sentence is another topic
      sum += cosine(a, b);
      ++n;
    }
    return sum / n;
  };
  EXPECT_LT(mean_cross_topic_cosine(true), mean_cross_topic_cosine(false) - 0.05);
}

TEST_F(Builtin, StateRoundTripsBitForBit) {
  auto e = open(adaptation());  // learned vectors are part of the state
  auto corpus = toy_corpus();
  ASSERT_TRUE(e->prepare(views(corpus)).is_ok());
  EXPECT_FALSE(e->state_fingerprint().empty());
  auto blob = e->save_state();
  ASSERT_TRUE(blob.is_ok());
  ASSERT_FALSE(blob->empty());

  testing::TempDir tmp;
  auto f = open();  // the state carries what was learned, whatever this embedder's options
  ASSERT_TRUE(f->load_state(*blob).is_ok());
  EXPECT_EQ(f->state_fingerprint(), e->state_fingerprint());
  for (const std::string text : {"cucm jabber call", "kerberos tacacs password", "the zone", "unknownword router",
                                 corpus[3].c_str()}) {
    EXPECT_EQ(f->embed_one(text), e->embed_one(text)) << text;
  }
  EXPECT_EQ(*f->save_state(), *blob);
  // Loading "" forgets the state.
  ASSERT_TRUE(f->load_state("").is_ok());
  EXPECT_EQ(f->state_fingerprint(), "");
}

TEST_F(Builtin, FingerprintTracksCorpusAndOptions) {
  auto corpus = toy_corpus();
  auto a = open(adaptation());
  ASSERT_TRUE(a->prepare(views(corpus)).is_ok());
  auto b = open(adaptation());
  ASSERT_TRUE(b->prepare(views(corpus)).is_ok());
  EXPECT_EQ(a->state_fingerprint(), b->state_fingerprint());  // deterministic
  auto other = toy_corpus(100, 2);
  ASSERT_TRUE(b->prepare(views(other)).is_ok());
  EXPECT_NE(a->state_fingerprint(), b->state_fingerprint());
  auto c = open(no_adaptation());
  ASSERT_TRUE(c->prepare(views(corpus)).is_ok());
  EXPECT_NE(a->state_fingerprint(), c->state_fingerprint());
}

TEST_F(Builtin, PrepareDoesNotDependOnThreadCount) {
  auto corpus = toy_corpus(150);  // 600 texts: enough to use several threads
  BuiltinOptions one = adaptation(), three = adaptation();
  one.threads = 1;
  three.threads = 3;
  auto a = open(one), b = open(three);
  ASSERT_TRUE(a->prepare(views(corpus)).is_ok());
  ASSERT_TRUE(b->prepare(views(corpus)).is_ok());
  EXPECT_EQ(a->state_fingerprint(), b->state_fingerprint());
  EXPECT_EQ(a->last_prepare().tokens, b->last_prepare().tokens);
}

TEST_F(Builtin, DamagedOrForeignStateIsRefused) {
  auto e = open(adaptation());
  auto corpus = toy_corpus();
  ASSERT_TRUE(e->prepare(views(corpus)).is_ok());
  std::string blob = *e->save_state();
  auto f = open();
  EXPECT_EQ(f->load_state(blob.substr(0, blob.size() / 2)).code(), ErrorCode::kCorrupt);
  std::string flipped = blob;
  flipped[blob.size() / 2] ^= 1;
  EXPECT_EQ(f->load_state(flipped).code(), ErrorCode::kCorrupt);
  EXPECT_EQ(f->load_state("not a state blob at all").code(), ErrorCode::kUnsupported);
  EXPECT_EQ(f->state_fingerprint(), "");  // failed loads leave the embedder unchanged

  // A state learned with another model is a conflict (the app then re-embeds).
  testing::TempDir tmp;
  WordVectorsWriter w(16);
  std::vector<float> v(16, 0.5f);
  ASSERT_TRUE(w.add("router", v.data()));
  ASSERT_TRUE(w.write(tmp / "other.mcdwv", "other").is_ok());
  auto g = open_builtin(tmp / "other.mcdwv");
  ASSERT_TRUE(g.is_ok());
  Status s = (*g)->load_state(blob);
  EXPECT_EQ(s.code(), ErrorCode::kConflict);
  EXPECT_NE(s.message().find("re-embed"), std::string::npos);
}

TEST_F(Builtin, AdaptationLearnsMissingWords) {
  auto corpus = toy_corpus();
  auto off = open(no_adaptation());
  ASSERT_TRUE(off->prepare(views(corpus)).is_ok());
  EXPECT_EQ(l2(off->embed_one("cucm")), 0.0);  // unknown to the vectors
  EXPECT_FALSE(off->is_adapted("cucm"));

  auto on = open(adaptation());
  ASSERT_TRUE(on->prepare(views(corpus)).is_ok());
  EXPECT_TRUE(on->is_adapted("cucm"));
  EXPECT_TRUE(on->is_adapted("tacacs"));
  EXPECT_GE(on->last_prepare().missing_words, 2u);
  EXPECT_GT(on->last_prepare().training_words, 20u);
  // Default thresholds leave known words alone in this 201-word vocabulary (all ranks < 10000).
  EXPECT_FALSE(on->is_adapted("kerberos"));

  auto tel = on->embed_one("dial the extension and the caller hears the ringtone");
  auto sec = on->embed_one("the password and the certificate for authentication");
  auto q = on->embed_one("cucm");
  EXPECT_GT(cosine(q, tel), cosine(q, sec) + 0.3);
  auto q2 = on->embed_one("tacacs");
  EXPECT_GT(cosine(q2, sec), cosine(q2, tel) + 0.3);

  // Its nearest words are telephony words.
  auto nn = on->nearest_words("cucm", 5);
  ASSERT_EQ(nn.size(), 5u);
  const std::vector<std::string> tel_words = {"call", "phone", "voicemail", "extension", "dial", "ring", "trunk",
                                              "caller", "pbx", "handset", "conference", "hold", "line", "ringtone",
                                              "dialplan", "callee", "busy", "forward", "pickup", "softphone",
                                              "headset", "speaker", "hunt", "directory", "codec", "voice", "video",
                                              "mute", "intercom", "transfer", "jabber"};
  int hits = 0;
  for (const auto& [w, c] : nn) hits += std::find(tel_words.begin(), tel_words.end(), w) != tel_words.end();
  EXPECT_GE(hits, 4) << nn[0].first << " " << nn[1].first << " " << nn[2].first;
}

TEST_F(Builtin, AdaptationFixesWeakWords) {
  auto corpus = toy_corpus();
  BuiltinOptions o = adaptation();
  o.adapt_weak_words = true;  // off by default (measured: docs/design-notes.md)
  o.weak_min_rank = 0;
  o.weak_ratio = 2;  // in this tiny vocabulary every topic word is "frequent in the library"
  auto on = open(o);
  auto off = open(no_adaptation());
  ASSERT_TRUE(on->prepare(views(corpus)).is_ok());
  ASSERT_TRUE(off->prepare(views(corpus)).is_ok());
  EXPECT_TRUE(on->is_adapted("kerberos"));
  EXPECT_TRUE(on->is_adapted("jabber"));
  EXPECT_FALSE(on->is_adapted("the"));
  auto sec = on->embed_one("the password and the certificate for authentication");
  auto sec_off = off->embed_one("the password and the certificate for authentication");
  const double before = cosine(off->embed_one("kerberos"), sec_off), after = cosine(on->embed_one("kerberos"), sec);
  EXPECT_GT(after, before + 0.2) << "before " << before << " after " << after;
  auto tel = on->embed_one("dial the extension and the caller hears the ringtone");
  EXPECT_GT(cosine(on->embed_one("jabber"), tel), cosine(on->embed_one("jabber"), sec));
}

TEST_F(Builtin, MissingModelSaysHowToGetIt) {
  testing::TempDir tmp;
  auto r = open_builtin(tmp / "nope.mcdwv");
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(r.status().message().find("scripts/fetch-model.sh"), std::string::npos);
}

TEST_F(Builtin, ModelLookupOrder) {
  testing::TempDir tmp;
  const char* old_env = std::getenv("MCDEWEY_MODEL");
  std::string saved = old_env ? old_env : "";
  ::unsetenv("MCDEWEY_MODEL");

  ModelLookup l;
  l.explicit_file = tmp / "missing.mcdwv";
  EXPECT_EQ(find_builtin_model(l).status().code(), ErrorCode::kNotFound);
  l.explicit_file = model_path();
  EXPECT_EQ(*find_builtin_model(l), model_path());

  l.explicit_file.clear();
  l.data_dir = tmp.path() / "data";
  stdfs::create_directories(l.data_dir / "models");
  auto none = find_builtin_model(l);
  if (!stdfs::exists(stdfs::path("models") / std::string(kDefaultModelFile))) {
    EXPECT_EQ(none.status().code(), ErrorCode::kNotFound);
    EXPECT_NE(none.status().message().find("fetch-model.sh"), std::string::npos);
  }
  stdfs::copy_file(model_path(), l.data_dir / "models" / std::string(kDefaultModelFile));
  EXPECT_EQ(*find_builtin_model(l), l.data_dir / "models" / std::string(kDefaultModelFile));
  ::setenv("MCDEWEY_MODEL", model_path().c_str(), 1);
  EXPECT_EQ(*find_builtin_model(l), model_path());  // the environment beats the data dir
  auto e = open_default_builtin(l);
  ASSERT_TRUE(e.is_ok());
  EXPECT_EQ((*e)->identity().dims, 16);

  if (old_env) ::setenv("MCDEWEY_MODEL", saved.c_str(), 1);
  else ::unsetenv("MCDEWEY_MODEL");
}

}  // namespace
}  // namespace mcdewey::embed
