#include <gtest/gtest.h>

#include "model/chunk_id.h"
#include "model/version_order.h"

namespace mcdewey::model {
namespace {

TEST(ChunkId, SeedFormat) {
  DocFileKey k{"cucm", "v15", "security-guide", "security-guide"};
  EXPECT_EQ(k.source(), "cucm/v15/security-guide/security-guide.md");
  EXPECT_EQ(k.chunk_id(70), "cucm::v15::security-guide::security-guide::70");
}

TEST(ChunkId, ParseRoundTrip) {
  auto id = parse_chunk_id("python::3.11.2::library::os::12");
  ASSERT_TRUE(id.is_ok()) << id.status().message();
  EXPECT_EQ(id->key, (DocFileKey{"python", "3.11.2", "library", "os"}));
  EXPECT_EQ(id->ordinal, 12);
  auto nested = parse_chunk_id("erlang-otp::25.2.3::lib::ssl/doc/pdf/ssl::0");
  ASSERT_TRUE(nested.is_ok());
  EXPECT_EQ(nested->key.file, "ssl/doc/pdf/ssl");
  EXPECT_EQ(nested->key.chunk_id(0), "erlang-otp::25.2.3::lib::ssl/doc/pdf/ssl::0");
}

TEST(ChunkId, RejectsMalformed) {
  for (const char* bad : {"", "x", "a::b::c::d", "a::b::c::d::-1", "a::b::c::d::x", "a::b::c::::3",
                          "a::..::c::d::1", "a::b::c::d/../e::1", "a::b::c::d::1x"}) {
    EXPECT_FALSE(parse_chunk_id(bad).is_ok()) << bad;
  }
}

TEST(VersionOrder, HumanOrder) {
  EXPECT_GT(compare_versions("9.18", "9.9"), 0);
  EXPECT_GT(compare_versions("v15", "v12.5"), 0);
  EXPECT_GT(compare_versions("2.0.12", "2.0.9"), 0);
  EXPECT_EQ(compare_versions("v1.2", "1.2"), 0);
  EXPECT_LT(compare_versions("1.1rc2", "1.1"), 0);
  EXPECT_GT(compare_versions("1.1.1", "1.1"), 0);
  EXPECT_LT(compare_versions("8.4", "12"), 0);
}

}  // namespace
}  // namespace mcdewey::model
