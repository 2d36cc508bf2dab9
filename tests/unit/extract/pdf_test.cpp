// PDF extractor: a real excerpt of the MIT Kerberos "Kerberos Concepts" manual (running
// headers and footers, roman and arabic page labels, an outline) plus broken files.
#include <gtest/gtest.h>

#include <filesystem>

#include "extract/extract.h"
#include "support/golden.h"

namespace mcdewey::extract {
namespace {

std::string fixture(const std::string& name) {
  return testing::read_all(std::filesystem::path(MCDEWEY_TEST_DATA) / "pdf" / name);
}

class KerberosExcerpt : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto d = extract_pdf(fixture("krb5-basic-excerpt.pdf"));
    ASSERT_TRUE(d.is_ok()) << d.status().message();
    doc_ = new model::Document(std::move(d.value()));
  }
  static void TearDownTestSuite() {
    delete doc_;
    doc_ = nullptr;
  }
  static model::Document* doc_;
};
model::Document* KerberosExcerpt::doc_ = nullptr;

TEST_F(KerberosExcerpt, Golden) { testing::expect_golden("extract/pdf/krb5-basic-excerpt.md", doc_->markdown); }

TEST_F(KerberosExcerpt, EveryPageHasAMarkerWithItsLabel) {
  EXPECT_EQ(doc_->page_count, 14);
  for (int p = 1; p <= 14; ++p) {
    EXPECT_NE(doc_->markdown.find("<!-- page " + std::to_string(p)), std::string::npos) << p;
  }
  // Front matter is numbered i, ii; the body starts at printed page 1 on physical page 5.
  EXPECT_NE(doc_->markdown.find("<!-- page 3 label=\"i\" -->"), std::string::npos);
  EXPECT_NE(doc_->markdown.find("<!-- page 5 label=\"1\" -->"), std::string::npos);
}

TEST_F(KerberosExcerpt, RunningHeadersAndFootersAreGone) {
  // Every body page of the manual carries "Kerberos Concepts, Release 1.20.1" on top and
  // "<n>  Chapter 1. Credential cache" at the bottom; none of it may reach the text.
  EXPECT_EQ(doc_->markdown.find("Kerberos Concepts, Release 1.20.1"), std::string::npos);
  EXPECT_EQ(doc_->markdown.find("Chapter 1. Credential cache"), std::string::npos);
}

TEST_F(KerberosExcerpt, HeadingsAndTitle) {
  EXPECT_EQ(doc_->title, "Kerberos Concepts");
  EXPECT_NE(doc_->markdown.find("\n# Credential cache\n"), std::string::npos);
  EXPECT_NE(doc_->markdown.find("\n## 1.1 ccache types\n"), std::string::npos);
}

TEST_F(KerberosExcerpt, TextStaysOnItsPhysicalPage) {
  // "ccache types" starts on physical page 5 (printed 1), before the page 6 marker.
  size_t heading = doc_->markdown.find("## 1.1 ccache types");
  size_t p5 = doc_->markdown.find("<!-- page 5 ");
  size_t p6 = doc_->markdown.find("<!-- page 6 ");
  ASSERT_NE(heading, std::string::npos);
  EXPECT_LT(p5, heading);
  EXPECT_LT(heading, p6);
}

TEST(PdfBroken, EachFailsWithAOneLineReason) {
  struct Case {
    const char* file;
    const char* reason_part;
  };
  for (const Case& c : {Case{"encrypted.pdf", "encrypted"}, Case{"truncated.pdf", ""}, Case{"no-text.pdf", "no text"}}) {
    auto d = extract_pdf(fixture(c.file));
    ASSERT_FALSE(d.is_ok()) << c.file;
    const std::string& m = d.status().message();
    EXPECT_FALSE(m.empty()) << c.file;
    EXPECT_EQ(m.find('\n'), std::string::npos) << c.file << ": " << m;
    EXPECT_NE(m.find(c.reason_part), std::string::npos) << c.file << ": " << m;
  }
  EXPECT_FALSE(extract_pdf("%PDF-1.4\n garbage").is_ok());
  EXPECT_FALSE(extract_pdf("").is_ok());
}

TEST(PdfTiny, ExtractsItsText) {
  auto d = extract_pdf(fixture("tiny.pdf"));
  ASSERT_TRUE(d.is_ok()) << d.status().message();
  EXPECT_EQ(d->page_count, 1);
  EXPECT_NE(d->markdown.find("<!-- page 1 -->"), std::string::npos);
}

}  // namespace
}  // namespace mcdewey::extract
