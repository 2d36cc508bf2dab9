// Ingest a fixture library end to end through the Library facade: ids, pages, idempotent
// re-ingest, a changed file, --prune, and bad files failing alone.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "app/library.h"
#include "support/temp_dir.h"

namespace mcdewey::app {
namespace {

namespace stdfs = std::filesystem;

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    src_ = tmp_ / "src";
    stdfs::copy(stdfs::path(MCDEWEY_TEST_DATA) / "library", src_, stdfs::copy_options::recursive);
    for (auto& e : stdfs::recursive_directory_iterator(src_)) {
      stdfs::permissions(e.path(), stdfs::perms::owner_write, stdfs::perm_options::add);
    }
    auto lib = Library::open(tmp_ / "data", true);
    ASSERT_TRUE(lib.is_ok()) << lib.status().message();
    lib_ = std::move(lib.value());
  }
  IngestReport ingest(bool prune = false) {
    IngestOptions o;
    o.prune = prune;
    auto r = lib_->ingest_tree(src_, o);
    EXPECT_TRUE(r.is_ok()) << r.status().message();
    return r.is_ok() ? *r : IngestReport{};
  }
  const FileOutcome* outcome(const IngestReport& r, const std::string& suffix) {
    for (const auto& f : r.files) {
      if (f.path.size() >= suffix.size() && f.path.compare(f.path.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return &f;
      }
    }
    return nullptr;
  }

  testing::TempDir tmp_;
  stdfs::path src_;
  std::unique_ptr<Library> lib_;
};

TEST_F(IngestTest, AccountsForEveryFileAndBadFilesFailAlone) {
  auto r = ingest();
  size_t on_disk = 0;
  for (auto& e : stdfs::recursive_directory_iterator(src_)) {
    if (e.is_regular_file() && e.path().filename() != "catalog.toml") ++on_disk;
  }
  EXPECT_EQ(r.files.size(), on_disk);
  EXPECT_EQ(static_cast<size_t>(r.ingested + r.unchanged + r.skipped + r.failed), on_disk);

  auto expect_state = [&](const std::string& file, FileState state, const std::string& reason_part) {
    const FileOutcome* o = outcome(r, file);
    ASSERT_NE(o, nullptr) << file;
    EXPECT_EQ(o->state, state) << file << ": " << o->reason;
    EXPECT_NE(o->reason.find(reason_part), std::string::npos) << file << ": " << o->reason;
  };
  expect_state("bad/1.0/fake.pdf", FileState::kFailed, "not a PDF");
  expect_state("bad/1.0/empty.txt", FileState::kFailed, "empty");
  expect_state("bad/1.0/latin1.txt", FileState::kFailed, "UTF-8");
  expect_state("bad/1.0/logo.png", FileState::kSkipped, "PNG");
  expect_state("icinga2/2.13.6/manual/01-about.md", FileState::kIngested, "");
  expect_state("git/2.39.5/git-revert.html", FileState::kIngested, "");
  EXPECT_FALSE(r.ok());
  EXPECT_GE(r.ingested, 6);
}

TEST_F(IngestTest, DocMappingAndIds) {
  ingest();
  // A file below a subfolder belongs to the doc named by that subfolder.
  auto c = lib_->chunk("icinga2::2.13.6::manual::01-about::0");
  ASSERT_TRUE(c.is_ok()) << c.status().message();
  EXPECT_EQ(c->hit.source, "icinga2/2.13.6/manual/01-about.md");
  EXPECT_EQ(c->hit.vendor, "Icinga GmbH");
  EXPECT_EQ(c->hit.product_name, "Icinga 2");
  EXPECT_EQ(c->prev_id, "");
  EXPECT_EQ(c->next_id, "icinga2::2.13.6::manual::01-about::1");
  // A file directly in a version folder is a doc of its own.
  EXPECT_TRUE(lib_->chunk("git::2.39.5::git-revert::git-revert::0").is_ok());
  // A PDF keeps its physical pages and printed labels in the chunks.
  model::SearchRequest q;
  q.query = "KCM daemon Heimdal";
  q.filters.product = "mit-kerberos";
  auto hits = lib_->search(q);
  ASSERT_TRUE(hits.is_ok());
  ASSERT_FALSE(hits->hits.empty());
  EXPECT_EQ(hits->hits[0].source, "mit-kerberos/1.20.1/krb5-basic-excerpt/krb5-basic-excerpt.md");
  // pdftotext -f 6 -l 6 shows the KCM paragraph; the chunk holding it starts on page 5
  // (printed "1") and runs onto page 6.
  EXPECT_LE(hits->hits[0].page, 6);
  EXPECT_GE(hits->hits[0].page_end, 6);
  EXPECT_EQ(hits->hits[0].page_label, hits->hits[0].page == 5 ? "1" : "2");
  // Canonical copy and original are kept in the library.
  EXPECT_TRUE(stdfs::exists(lib_->library_root() / "icinga2/2.13.6/manual/01-about.md"));
  EXPECT_TRUE(stdfs::exists(lib_->library_root() / "icinga2/2.13.6/manual/01-about.source.md"));
  EXPECT_TRUE(stdfs::exists(lib_->library_root() / "git/2.39.5/git-revert/git-revert.html"));
  EXPECT_TRUE(stdfs::exists(lib_->library_root() / "kamailio/5.6.3/modules/README.rtimer.md"));
  // Byte spans point into the canonical copy.
  std::ifstream in(lib_->library_root() / c->hit.source, std::ios::binary);
  std::string md((std::istreambuf_iterator<char>(in)), {});
  ASSERT_LE(c->byte_end, md.size());
  EXPECT_NE(md.substr(c->byte_start, c->byte_end - c->byte_start).find(c->hit.text.substr(0, 20)), std::string::npos);
}

TEST_F(IngestTest, ReingestIsIdempotentAndIdsStable) {
  auto first = ingest();
  model::SearchRequest q;
  q.query = "revert commit";
  auto before = lib_->search(q);
  ASSERT_TRUE(before.is_ok());
  auto second = ingest();
  EXPECT_EQ(second.ingested, 0);
  EXPECT_EQ(second.unchanged, first.ingested);
  EXPECT_EQ(second.chunks, first.chunks);
  auto after = lib_->search(q);
  ASSERT_EQ(before->hits.size(), after->hits.size());
  for (size_t i = 0; i < before->hits.size(); ++i) EXPECT_EQ(before->hits[i].chunk_id, after->hits[i].chunk_id);
}

TEST_F(IngestTest, ChangedFileReplacesItsDoc) {
  ingest();
  auto path = src_ / "kamailio/5.6.3/modules/README.rtimer.txt";
  std::ofstream(path, std::ios::app) << "\nZebracorn appendix: a word nobody else uses.\n";
  auto r = ingest();
  EXPECT_EQ(r.ingested, 1);
  model::SearchRequest q;
  q.query = "zebracorn";
  auto hits = lib_->search(q);
  ASSERT_TRUE(hits.is_ok());
  ASSERT_EQ(hits->hits.size(), 1u);
  EXPECT_EQ(hits->hits[0].source, "kamailio/5.6.3/modules/README.rtimer.md");
}

TEST_F(IngestTest, PruneRemovesDocsWhoseFilesAreGone) {
  ingest();
  stdfs::remove(src_ / "git/2.39.5/git-revert.html");
  auto no_prune = ingest(false);
  EXPECT_EQ(no_prune.pruned, 0);
  EXPECT_TRUE(lib_->chunk("git::2.39.5::git-revert::git-revert::0").is_ok());
  auto pruned = ingest(true);
  EXPECT_EQ(pruned.pruned, 1);
  EXPECT_EQ(lib_->chunk("git::2.39.5::git-revert::git-revert::0").status().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(stdfs::exists(lib_->library_root() / "git/2.39.5/git-revert/git-revert.md"));
  auto stats = lib_->stats();
  ASSERT_TRUE(stats.is_ok());
  EXPECT_EQ(stats->counts.products, 3);  // icinga2, kamailio, mit-kerberos (bad/ has no good file)
}

TEST_F(IngestTest, SingleFilesWithProductAndVersion) {
  FileSpec spec;
  spec.product = "cucm";
  spec.version = "v15";
  spec.vendor = "Cisco";
  auto r = lib_->ingest_files({src_ / "icinga2/2.13.6/manual/01-about.md"}, spec, {});
  ASSERT_TRUE(r.is_ok()) << r.status().message();
  EXPECT_EQ(r->ingested, 1);
  auto c = lib_->chunk("cucm::v15::01-about::01-about::0");
  ASSERT_TRUE(c.is_ok()) << c.status().message();
  EXPECT_EQ(c->hit.vendor, "Cisco");
  spec.product = "bad::slug";
  EXPECT_EQ(lib_->ingest_files({src_ / "x"}, spec, {}).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(IngestTest, OpenWithoutLibrarySaysHowToIngest) {
  auto lib = Library::open(tmp_ / "nothing-here", false);
  ASSERT_FALSE(lib.is_ok());
  EXPECT_NE(lib.status().message().find("mcdewey ingest"), std::string::npos);
}

}  // namespace
}  // namespace mcdewey::app
