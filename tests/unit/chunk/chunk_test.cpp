#include <gtest/gtest.h>

#include <string>

#include "chunk/blocks.h"
#include "chunk/chunker.h"
#include "chunk/sentences.h"
#include "common/strings.h"
#include "support/golden.h"

namespace mcdewey::chunk {
namespace {

std::string render(const std::vector<model::Chunk>& chunks) {
  std::string out;
  for (const auto& c : chunks) {
    out += "=== chunk " + std::to_string(c.ordinal) + " pages " + std::to_string(c.page) + "-" +
           std::to_string(c.page_end) + (c.page_label.empty() ? "" : " label " + c.page_label) + " bytes " +
           std::to_string(c.byte_start) + "-" + std::to_string(c.byte_end) + " words " + std::to_string(c.words) +
           "\npath: " + str::join(c.heading_path, " > ") + "\n" + c.text + "\n";
  }
  return out;
}

TEST(PageMarker, Parses) {
  PageMarker m;
  ASSERT_TRUE(parse_page_marker("<!-- page 80 -->", &m));
  EXPECT_EQ(m.page, 80);
  EXPECT_EQ(m.label, "");
  ASSERT_TRUE(parse_page_marker("<!-- page 80 label=\"62\" -->", &m));
  EXPECT_EQ(m.label, "62");
  EXPECT_FALSE(parse_page_marker("<!-- page x -->", &m));
  EXPECT_FALSE(parse_page_marker("<!-- page 0 -->", &m));
  EXPECT_FALSE(parse_page_marker("text <!-- page 3 -->", &m));
}

TEST(Blocks, KindsAndPages) {
  auto md = testing::data_file("chunk/paged.md");
  auto blocks = split_blocks(md);
  ASSERT_FALSE(blocks.empty());
  EXPECT_EQ(blocks[0].kind, BlockKind::kHeading);
  EXPECT_EQ(blocks[0].page, 1);
  EXPECT_EQ(blocks[0].page_label, "i");
  int code = 0, table = 0;
  for (const auto& b : blocks) {
    if (b.kind == BlockKind::kCode) {
      ++code;
      EXPECT_EQ(b.page, 3);
      // The fence is one block, blank lines or not.
      EXPECT_NE(md.substr(b.start, b.end - b.start).find("ATHENA.MIT.EDU',"), std::string::npos);
    }
    if (b.kind == BlockKind::kTable) {
      ++table;
      EXPECT_EQ(b.page, 4);
    }
  }
  EXPECT_EQ(code, 1);
  EXPECT_EQ(table, 1);
}

TEST(Chunker, GoldenPaged) {
  auto md = testing::data_file("chunk/paged.md");
  ChunkerOptions o;
  o.min_words = 30;
  o.max_words = 80;
  auto chunks = chunk_markdown(md, o);
  testing::expect_golden("chunk/paged.chunks.txt", render(chunks));
}

TEST(Chunker, SpansPointIntoCanonicalCopy) {
  auto md = testing::data_file("chunk/paged.md");
  for (const auto& c : chunk_markdown(md)) {
    ASSERT_LE(c.byte_end, md.size());
    EXPECT_EQ(text_without_markers(md, c.byte_start, c.byte_end), c.text);
    EXPECT_EQ(c.text.find("<!-- page"), std::string::npos);
  }
}

TEST(Chunker, NeverAcrossTopLevelSection) {
  std::string md = "# Title\n\n## A\n\nalpha text.\n\n## B\n\nbeta text.\n";
  auto chunks = chunk_markdown(md);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[0].heading_path, (std::vector<std::string>{"Title", "A"}));
  EXPECT_NE(chunks[0].text.find("# Title"), std::string::npos);  // the lone title merged forward
  EXPECT_EQ(chunks[1].heading_path, (std::vector<std::string>{"Title", "B"}));
  EXPECT_EQ(chunks[1].ordinal, 1);
}

TEST(Chunker, SmallSubsectionsMerge) {
  std::string md = "## A\n\none.\n\n### A1\n\ntwo.\n\n### A2\n\nthree.\n\n## B\n\nfour.\n";
  auto chunks = chunk_markdown(md);
  ASSERT_EQ(chunks.size(), 2u);
  EXPECT_EQ(chunks[0].heading_path, (std::vector<std::string>{"A"}));
  EXPECT_NE(chunks[0].text.find("three."), std::string::npos);
}

TEST(Chunker, LongParagraphCutBetweenSentences) {
  std::string para;
  for (int i = 0; i < 100; ++i) para += "Sentence number " + std::to_string(i) + " has six words. ";
  ChunkerOptions o;
  o.max_words = 50;
  auto chunks = chunk_markdown("## S\n\n" + para + "\n", o);
  ASSERT_GT(chunks.size(), 10u);
  for (const auto& c : chunks) {
    EXPECT_LE(c.words, 55);
    std::string t(str::trim(c.text));
    EXPECT_EQ(t.back(), '.') << "cut mid-sentence: " << t.substr(t.size() - 40);
  }
}

TEST(Chunker, EnormousSentenceCutByWords) {
  std::string s;
  for (int i = 0; i < 1000; ++i) s += "word ";
  auto chunks = chunk_markdown(s);
  ASSERT_GT(chunks.size(), 2u);
  for (const auto& c : chunks) EXPECT_LE(c.words, ChunkerOptions{}.max_words);
}

TEST(Chunker, CodeBlockKeptWholeWhenItFits) {
  std::string code = "```\n";
  for (int i = 0; i < 60; ++i) code += "line " + std::to_string(i) + " of code\n";
  code += "```\n";
  ChunkerOptions o;
  o.max_words = 100;
  o.max_atomic_words = 400;
  auto chunks = chunk_markdown("intro text.\n\n" + code, o);
  bool whole = false;
  for (const auto& c : chunks) whole |= c.text.find("line 0 of") != std::string::npos && c.text.find("line 59 of") != std::string::npos;
  EXPECT_TRUE(whole);
}

TEST(Chunker, StableOrdinalsAndDeterministic) {
  auto md = testing::data_file("chunk/paged.md");
  auto a = chunk_markdown(md);
  auto b = chunk_markdown(md);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].ordinal, static_cast<int>(i));
    EXPECT_EQ(a[i].text, b[i].text);
  }
}

TEST(Chunker, EmptyAndHeadingOnly) {
  EXPECT_TRUE(chunk_markdown("").empty());
  auto only = chunk_markdown("# Lonely heading\n");
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].heading_path, (std::vector<std::string>{"Lonely heading"}));
}

TEST(Sentences, Boundaries) {
  std::string t = "See e.g. the manual. Version 3.11 is new! Is it? Yes.";
  auto s = sentence_starts(t);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(t.substr(s[0], 7), "Version");
  EXPECT_EQ(t.substr(s[1], 2), "Is");
  EXPECT_EQ(t.substr(s[2], 3), "Yes");
}

}  // namespace
}  // namespace mcdewey::chunk
