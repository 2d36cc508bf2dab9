#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "embed/tokenizer.h"

namespace mcdewey::embed {
namespace {

using V = std::vector<std::string>;

struct Case {
  const char* text;
  V tokens;
};

TEST(Tokenizer, Examples) {
  const std::vector<Case> cases = {
      {"Configure the SIP trunk.", {"configure", "the", "sip", "trunk"}},
      {"named.conf", {"named.conf", "named", "conf"}},
      {"max_retry-count", {"max_retry-count", "max", "retry", "count"}},
      {"getUserName()", {"getusername", "get", "user", "name"}},
      {"HTTPServer", {"httpserver", "http", "server"}},
      {"XMLParser", {"xmlparser", "xml", "parser"}},
      {"IPsec and IPv6", {"ipsec", "and", "ipv6"}},
      {"x509 sha256", {"x509", "sha256"}},
      {"BIND 9.18 and v15, 1.2.3a", {"bind", "9.18", "and", "v15", "1.2.3a"}},
      {"port 5060/udp", {"port", "5060", "udp"}},
      {"a b c", {}},  // single letters are dropped
      {"--verbose -v", {"verbose"}},
      {"end. Next", {"end", "next"}},
      {"IOError", {"ioerror", "io", "error"}},
      {"Ünïcode wörds", {"Ünïcode", "wörds"}},  // non-ASCII passes through (ASCII lower-cased)
      {"", {}},
  };
  for (const auto& c : cases) EXPECT_EQ(tokenize(c.text), c.tokens) << "text: " << c.text;
}

TEST(Tokenizer, LongTokensDropped) {
  std::string hash(100, 'a');
  EXPECT_EQ(tokenize("id " + hash + " end"), (V{"id", "end"}));
  // Parts of a long identifier survive when they are short enough.
  std::string ident = std::string(30, 'x') + "_" + std::string(30, 'y');
  EXPECT_EQ(tokenize(ident), (V{std::string(30, 'x'), std::string(30, 'y')}));
}

TEST(Tokenizer, ForEachMatchesTokenize) {
  std::string text = "Use tacacs+ with CUCM v15.0 (see cucm_admin-guide.pdf)";
  V seen;
  for_each_token(text, [&](std::string_view t) { seen.emplace_back(t); });
  EXPECT_EQ(seen, tokenize(text));
  EXPECT_EQ(seen, (V{"use", "tacacs", "with", "cucm", "v15.0", "see", "cucm_admin-guide.pdf", "cucm", "admin", "guide",
                     "pdf"}));
}

}  // namespace
}  // namespace mcdewey::embed
