#include <gtest/gtest.h>

#include "extract/extract.h"
#include "extract/normalize.h"

namespace mcdewey::extract {
namespace {

TEST(Sniff, ByContentNotName) {
  EXPECT_EQ(*sniff("%PDF-1.7\n...", "x.txt"), model::Format::kPdf);
  EXPECT_EQ(*sniff("<!DOCTYPE html><html><body>x</body></html>", "page"), model::Format::kHtml);
  EXPECT_EQ(*sniff("# Title\n\ntext", "notes.md"), model::Format::kMarkdown);
  EXPECT_EQ(*sniff("just text", "README"), model::Format::kText);
}

TEST(Sniff, RefusesWithReason) {
  auto empty = sniff("", "a.txt");
  ASSERT_FALSE(empty.is_ok());
  EXPECT_EQ(empty.status().message(), "empty file");
  auto fake_pdf = sniff("hello, not a pdf", "manual.pdf");
  ASSERT_FALSE(fake_pdf.is_ok());
  EXPECT_NE(fake_pdf.status().message().find("not a PDF"), std::string::npos);
  auto png = sniff(std::string("\x89PNG\r\n\x1a\n\0\0", 10), "logo.pdf");
  ASSERT_FALSE(png.is_ok());
  EXPECT_NE(png.status().message().find("PNG"), std::string::npos);
  auto bin = sniff(std::string("ab\0cd", 5), "data.txt");
  EXPECT_EQ(bin.status().code(), ErrorCode::kUnsupported);
}

TEST(Normalize, LigaturesSpacesControls) {
  EXPECT_EQ(normalize_text("e\xEF\xAC\x83" "cient"), "efficient");    // ﬃ ligature
  EXPECT_EQ(normalize_text("a\xC2\xA0" "b\xE2\x80\x89" "c"), "a b c");  // NBSP, thin space
  EXPECT_EQ(normalize_text("a\r\nb\rc"), "a\nb\nc");
  EXPECT_EQ(normalize_text("soft\xC2\xADhyphen\x01"), "softhyphen");
  EXPECT_EQ(normalize_text("\xEF\xBC\xA1"), "A");  // full-width A
}

TEST(Markdown, FrontMatterAndTitle) {
  auto d = extract_markdown("---\ntitle: x\n---\n\nIntro\n\n## Setup Guide ##\n\nText.\n");
  ASSERT_TRUE(d.is_ok());
  EXPECT_EQ(d->title, "Setup Guide");
  EXPECT_EQ(d->markdown.find("title: x"), std::string::npos);
  EXPECT_EQ(d->page_count, 0);
  auto setext = extract_markdown("Overview\n========\n\nbody\n");
  EXPECT_EQ(setext->title, "Overview");
}

TEST(Markdown, InvalidUtf8Fails) {
  auto d = extract_markdown("# T\n\xC3(\n");
  ASSERT_FALSE(d.is_ok());
  EXPECT_NE(d.status().message().find("UTF-8"), std::string::npos);
}

TEST(Text, KeptAsIsButNeverHeadings) {
  auto d = extract_text("Kamailio README\n\n# not a heading\nline\n");
  ASSERT_TRUE(d.is_ok());
  EXPECT_EQ(d->title, "Kamailio README");
  EXPECT_NE(d->markdown.find("\\# not a heading"), std::string::npos);
  EXPECT_FALSE(extract_text("   \n\n").is_ok());
}

}  // namespace
}  // namespace mcdewey::extract
