#include <gtest/gtest.h>

#include <filesystem>

#include "common/fs.h"
#include "common/hash.h"
#include "common/status.h"
#include "common/strings.h"
#include "common/utf8.h"
#include "support/temp_dir.h"

namespace mcdewey {
namespace {

TEST(Status, OkAndError) {
  Status ok;
  EXPECT_TRUE(ok.is_ok());
  Status e = not_found("no chunk 'x'");
  EXPECT_FALSE(e.is_ok());
  EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  EXPECT_EQ(e.to_string(), "not_found: no chunk 'x'");
}

Result<int> parse_positive(int v) {
  if (v <= 0) return invalid_argument("not positive");
  return v;
}

TEST(Result, ValueOrStatus) {
  auto a = parse_positive(3);
  ASSERT_TRUE(a.is_ok());
  EXPECT_EQ(*a, 3);
  auto b = parse_positive(-1);
  ASSERT_FALSE(b.is_ok());
  EXPECT_EQ(b.status().code(), ErrorCode::kInvalidArgument);
}

TEST(Strings, TrimSplitJoin) {
  EXPECT_EQ(str::trim("  a b \n"), "a b");
  EXPECT_EQ(str::split("a,b,,c", ','), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(str::join({"a", "b"}, " > "), "a > b");
  EXPECT_EQ(str::collapse_spaces("  a \n\t b  "), "a b");
  EXPECT_EQ(str::count_words(" one two\nthree "), 3u);
  EXPECT_EQ(str::inline_markdown_to_text("REST API <a id=\"icinga2-api\"></a>"), "REST API");
  EXPECT_EQ(str::inline_markdown_to_text("Use **`git revert`** [docs](x.html) \\*now\\*"), "Use git revert docs *now*");
  EXPECT_EQ(str::json_escape("a\"b\\\n\x01"), "a\\\"b\\\\\\n\\u0001");
}

TEST(Utf8, ValidationAndRepair) {
  EXPECT_TRUE(utf8::is_valid("héllo ✓ 𝄞"));
  EXPECT_EQ(utf8::first_invalid("ab\xFF" "cd"), 2u);
  EXPECT_FALSE(utf8::is_valid("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(utf8::is_valid("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(utf8::is_valid("\xE2\x82"));          // truncated
  EXPECT_EQ(utf8::sanitize("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(utf8::truncate("aé", 2), "a");  // never splits a code point
  std::string s;
  size_t i = 0;
  utf8::append(s, utf8::decode("𝄞", i));
  EXPECT_EQ(s, "𝄞");
}

TEST(Hash, StableAndDistinct) {
  EXPECT_EQ(hash_hex("abc"), hash_hex("abc"));
  EXPECT_NE(hash_hex("abc"), hash_hex("abd"));
  EXPECT_EQ(hash_hex("").size(), 32u);
}

TEST(Fs, AtomicWriteAndInside) {
  testing::TempDir tmp;
  const auto& dir = tmp.path();
  auto file = dir / "a" / "b.txt";
  ASSERT_TRUE(fs::write_file_atomic(file, "hello").is_ok());
  auto back = fs::read_file(file);
  ASSERT_TRUE(back.is_ok());
  EXPECT_EQ(*back, "hello");
  EXPECT_TRUE(fs::is_inside(dir, file));
  EXPECT_FALSE(fs::is_inside(dir / "a", dir / "a" / ".." / ".." / "etc"));
  EXPECT_FALSE(fs::read_file(dir / "missing").is_ok());
  EXPECT_EQ(fs::read_file(file, 2).status().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace mcdewey
