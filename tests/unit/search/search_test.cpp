#include <gtest/gtest.h>

#include "search/query.h"
#include "search/searcher.h"

namespace mcdewey::search {
namespace {

using Words = std::vector<std::string>;

// One test per example in query.h.
TEST(Query, Terms) {
  auto q = parse_query("bgp timer");
  EXPECT_EQ(q.terms, (Words{"bgp", "timer"}));
  EXPECT_EQ(to_fts5(q), "\"bgp\" OR \"timer\"");
}

TEST(Query, Phrase) {
  auto q = parse_query("\"zone transfer\"");
  ASSERT_EQ(q.phrases.size(), 1u);
  EXPECT_EQ(q.phrases[0], (Words{"zone", "transfer"}));
  EXPECT_EQ(to_fts5(q), "\"zone transfer\"");
}

TEST(Query, Filters) {
  auto q = parse_query("product:bind9 zone transfer");
  EXPECT_EQ(q.filters.product, "bind9");
  EXPECT_EQ(q.terms, (Words{"zone", "transfer"}));
  auto v = parse_query("vendor:\"Internet Systems\" version:9.18 doc:arm dnssec");
  EXPECT_EQ(v.filters.vendor, "Internet Systems");
  EXPECT_EQ(v.filters.version, "9.18");
  EXPECT_EQ(v.filters.doc, "arm");
  EXPECT_EQ(v.terms, (Words{"dnssec"}));
  // What an embedder sees: the query without its filter tokens, whatever whitespace is around.
  EXPECT_EQ(v.text, "   dnssec");
  EXPECT_EQ(parse_query("zone\nversion:9.18\ttransfer").text, "zone\n\ttransfer");
  // A key without a value is no filter, so it stays text.
  auto bare = parse_query("vendor: zone");
  EXPECT_TRUE(bare.filters.vendor.empty());
  EXPECT_EQ(bare.text, "vendor: zone");
}

TEST(Query, PunctuatedTokensArePhrases) {
  // The parts are terms too, so text that writes "user name" still matches.
  auto q = parse_query("user.name well-known x509");
  EXPECT_EQ(q.terms, (Words{"user", "name", "well", "known", "x509"}));
  ASSERT_EQ(q.phrases.size(), 2u);
  EXPECT_EQ(q.phrases[0], (Words{"user", "name"}));
  EXPECT_EQ(q.phrases[1], (Words{"well", "known"}));
}

TEST(Query, ApostrophesSplitWordsNotPhrases) {
  // Typographic and ASCII apostrophes: "what’s" is "what" + "s", both stop words.
  auto q = parse_query("What\xE2\x80\x99s a decorator? Don't panic");
  EXPECT_EQ(q.terms, (Words{"decorator", "don", "panic"}));
  EXPECT_TRUE(q.phrases.empty());
  EXPECT_EQ(tokenize("\xE2\x80\x9Cquoted\xE2\x80\x9D"), (Words{"quoted"}));
}

TEST(Query, NaturalLanguageDropsStopWords) {
  auto q = parse_query("How do I undo a commit?");
  EXPECT_EQ(q.terms, (Words{"undo", "commit"}));
  auto only_stop = parse_query("to be or not to be");
  EXPECT_FALSE(only_stop.empty());
}

TEST(Query, FunctionWordsAreStopWordsPlusPrepositionsAndNegations) {
  // Exact matching keeps words with technical meaning ("not", "on", "off", "all"); term-level
  // (meaning-based) matching drops them too, since their vectors are close to everything.
  for (const char* w : {"not", "no", "on", "off", "all", "any", "up", "down", "through", "after"}) {
    EXPECT_FALSE(is_stop_word(w)) << w;
    EXPECT_TRUE(is_function_word(w)) << w;
  }
  for (const char* w : {"the", "how", "why", "does", "you"}) {
    EXPECT_TRUE(is_stop_word(w)) << w;
    EXPECT_TRUE(is_function_word(w)) << w;
  }
  for (const char* w : {"thread", "module", "blob", "database", "run", "nothing", ""}) {
    EXPECT_FALSE(is_function_word(w)) << w;
  }
}

TEST(Query, LongQueriesKeepTheirFirstTerms) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "word" + std::to_string(i) + " \"a b" + std::to_string(i) + "\" ";
  auto q = parse_query(text);
  ASSERT_EQ(q.terms.size(), kMaxQueryTerms);
  EXPECT_EQ(q.terms.front(), "word0");
  EXPECT_EQ(q.terms.back(), "word" + std::to_string(kMaxQueryTerms - 1));
  ASSERT_EQ(q.phrases.size(), kMaxQueryPhrases);
  EXPECT_EQ(q.phrases.front(), (Words{"a", "b0"}));
}

TEST(Query, HostileInputIsJustText) {
  for (const char* s : {"\"", "\"\"\"", "a AND OR NOT b", "NEAR(a b)", "foo*", "^x", "col:val", "(((", "a\"b",
                        "-x", "{a b}:c", "http://example.com/x?y=1"}) {
    auto fts = to_fts5(parse_query(s));
    // Every operand is one quoted string: no bare operator survives.
    size_t pos = 0;
    while (pos < fts.size()) {
      ASSERT_EQ(fts[pos], '"') << s << " -> " << fts;
      size_t close = fts.find('"', pos + 1);
      ASSERT_NE(close, std::string::npos) << s << " -> " << fts;
      pos = close + 1;
      if (pos < fts.size()) {
        ASSERT_EQ(fts.substr(pos, 4), " OR ") << s << " -> " << fts;
        pos += 4;
      }
    }
  }
  EXPECT_EQ(to_fts5(parse_query("NOT")), "\"not\"");
  EXPECT_EQ(to_fts5(parse_query("  ")), "");
}

TEST(Query, UnknownKeyIsText) {
  auto q = parse_query("http://x");
  EXPECT_TRUE(q.filters.product.empty());
  EXPECT_FALSE(q.empty());
}

class SearcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(store::Store::open(":memory:").value());
    ASSERT_TRUE(store_->upsert_product({"git", "Git project", "Git"}).is_ok());
    auto add = [&](const std::string& doc, std::vector<std::pair<std::string, std::string>> chunks) {
      store::DocumentRow d;
      d.key = {"git", "2.39.5", doc, doc};
      d.title = doc;
      d.format = "html";
      d.original = d.origin = doc;
      d.content_hash = "x";
      std::vector<model::Chunk> cs;
      for (auto& [heading, text] : chunks) {
        model::Chunk c;
        c.ordinal = static_cast<int>(cs.size());
        c.heading_path = {heading};
        c.text = text;
        cs.push_back(c);
      }
      ASSERT_TRUE(store_->replace_document(d, cs).is_ok());
    };
    add("gitfaq", {{"Undoing a commit", "Use git revert to undo a change that was pushed."},
                   {"Configuration", "Set user.name to your personal name."}});
    add("git-log", {{"Description", "Shows the commit logs. The commit is shown with its message."}});
  }
  std::unique_ptr<store::Store> store_;
};

TEST_F(SearcherTest, RanksHeadingMatchesHigh) {
  Searcher s(*store_);
  model::SearchRequest r;
  r.query = "How do I undo a commit?";
  auto resp = s.search(r);
  ASSERT_TRUE(resp.is_ok()) << resp.status().message();
  ASSERT_FALSE(resp->hits.empty());
  EXPECT_EQ(resp->hits[0].chunk_id, "git::2.39.5::gitfaq::gitfaq::0");
  EXPECT_EQ(resp->total, 2);
}

TEST_F(SearcherTest, PhraseFromPunctuation) {
  Searcher s(*store_);
  model::SearchRequest r;
  r.query = "user.name";
  auto resp = s.search(r);
  ASSERT_EQ(resp->hits.size(), 1u);
  EXPECT_EQ(resp->hits[0].chunk_id, "git::2.39.5::gitfaq::gitfaq::1");
}

TEST_F(SearcherTest, FiltersFromRequestAndQuery) {
  Searcher s(*store_);
  model::SearchRequest r;
  r.query = "commit doc:git-log";
  auto resp = s.search(r);
  ASSERT_EQ(resp->hits.size(), 1u);
  EXPECT_EQ(resp->hits[0].doc, "git-log");
  r.query = "commit";
  r.filters.product = "python";
  EXPECT_TRUE(s.search(r)->hits.empty());
}

TEST(SearcherPruning, CommonWordsScoreButDoNotSelect) {
  // 29 of 200 chunks say "server" (common), two say "zone". A query with both ranks only the
  // "zone" chunks, and "server" still lifts the one that has both.
  auto store = std::move(store::Store::open(":memory:").value());
  ASSERT_TRUE(store->upsert_product({"bind9", "ISC", "BIND 9"}).is_ok());
  store::DocumentRow d;
  d.key = {"bind9", "9.18", "arm", "arm"};
  d.title = "ARM";
  d.format = "md";
  d.original = d.origin = "arm.md";
  d.content_hash = "x";
  std::vector<model::Chunk> cs;
  auto add = [&](const std::string& text) {
    model::Chunk c;
    c.ordinal = static_cast<int>(cs.size());
    c.heading_path = {"Section"};
    c.text = text;
    cs.push_back(c);
  };
  for (int i = 0; i < 28; ++i) add("The server answers queries number " + std::to_string(i) + ".");
  for (int i = 0; i < 170; ++i) add("The resolver caches answers number " + std::to_string(i) + ".");
  add("A zone holds records.");
  add("The server loads the zone at start.");
  ASSERT_TRUE(store->replace_document(d, cs).is_ok());

  Searcher pruned(*store);
  model::SearchRequest r;
  r.query = "server zone";
  auto resp = pruned.search(r);
  ASSERT_TRUE(resp.is_ok()) << resp.status().message();
  EXPECT_EQ(resp->total, 2);
  ASSERT_EQ(resp->hits.size(), 2u);
  EXPECT_EQ(resp->hits[0].chunk_id, "bind9::9.18::arm::arm::199");

  SearchOptions all;
  all.common_share = 1.0;
  Searcher unpruned(*store, all);
  auto every = unpruned.search(r);
  ASSERT_TRUE(every.is_ok());
  EXPECT_EQ(every->total, 30);
  EXPECT_EQ(every->hits[0].chunk_id, "bind9::9.18::arm::arm::199");

  // Only common words: nothing to prune by, every match is ranked.
  r.query = "server";
  EXPECT_EQ(pruned.search(r)->total, 29);

  // A change to the library drops the cached counts: "zone" becomes common too.
  for (int i = 0; i < 30; ++i) add("Zone " + std::to_string(i) + ".");
  ASSERT_TRUE(store->replace_document(d, cs).is_ok());
  r.query = "server zone";
  EXPECT_EQ(pruned.search(r)->total, 60);
}

TEST(SearcherBigrams, QueryWordsInOrderAndTogetherRankFirst) {
  // Two chunks with the same words, counts and length: only the order differs. Without the
  // bigram bonus they tie (and the tie goes to the first row); with it, the one that says
  // "zone transfer" wins.
  auto store = std::move(store::Store::open(":memory:").value());
  ASSERT_TRUE(store->upsert_product({"bind9", "ISC", "BIND 9"}).is_ok());
  store::DocumentRow d;
  d.key = {"bind9", "9.18", "arm", "arm"};
  d.title = "ARM";
  d.format = "md";
  d.original = d.origin = "arm.md";
  d.content_hash = "x";
  std::vector<model::Chunk> cs(2);
  cs[0].text = "Every transfer of a zone is logged by the server.";
  cs[1].text = "Every zone transfer is logged by the server of a.";
  cs[1].ordinal = 1;
  ASSERT_TRUE(store->replace_document(d, cs).is_ok());
  model::SearchRequest r;
  r.query = "zone transfer logged";

  SearchOptions plain;
  plain.rank.bigram = 0;
  auto tie = Searcher(*store, plain).search(r);
  ASSERT_TRUE(tie.is_ok());
  ASSERT_EQ(tie->hits.size(), 2u);
  EXPECT_DOUBLE_EQ(tie->hits[0].score, tie->hits[1].score);

  auto ranked = Searcher(*store).search(r);
  ASSERT_TRUE(ranked.is_ok());
  EXPECT_EQ(ranked->hits[0].chunk_id, "bind9::9.18::arm::arm::1");
  EXPECT_GT(ranked->hits[0].score, ranked->hits[1].score);
}

TEST_F(SearcherTest, EmptyQueryIsAnError) {
  Searcher s(*store_);
  model::SearchRequest r;
  r.query = " ?! ";
  auto resp = s.search(r);
  ASSERT_FALSE(resp.is_ok());
  EXPECT_EQ(resp.status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(SearcherTest, NoSyntaxErrorsFromAnyInput) {
  Searcher s(*store_);
  for (const char* q : {"\"unbalanced", "commit AND", "OR OR", "NEAR(", "a:b:c", "\"\"", "*", "commit\"s",
                        "-- DROP TABLE chunks;", "ünïcödé commit", "\xFF\xFE"}) {
    model::SearchRequest r;
    r.query = q;
    auto resp = s.search(r);
    EXPECT_TRUE(resp.is_ok() || resp.status().code() == ErrorCode::kInvalidArgument)
        << q << ": " << resp.status().message();
  }
}

}  // namespace
}  // namespace mcdewey::search
