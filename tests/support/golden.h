// Golden-file comparison: expected output lives in tests/golden/<name>; running the tests with
// MCDEWEY_UPDATE_GOLDEN=1 rewrites it (review the diff before committing).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/files.h"

namespace mcdewey::testing {

// Compares `actual` with tests/golden/<name>. Reports the first differing line.
inline void expect_golden(const std::string& name, const std::string& actual) {
  const std::filesystem::path path = std::filesystem::path(MCDEWEY_GOLDEN_DIR) / name;
  const char* update = std::getenv("MCDEWEY_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << "missing golden file " << path
                                             << " (run with MCDEWEY_UPDATE_GOLDEN=1 to create it)";
  const std::string expected = read_all(path);
  if (expected == actual) return;
  std::istringstream e(expected), a(actual);
  std::string le, la;
  int line = 1;
  while (true) {
    bool ge = static_cast<bool>(std::getline(e, le));
    bool ga = static_cast<bool>(std::getline(a, la));
    if (!ge && !ga) break;
    if (!ge || !ga || le != la) {
      ADD_FAILURE() << "golden " << name << " differs at line " << line << "\n  expected: " << (ge ? le : "<eof>")
                    << "\n  actual:   " << (ga ? la : "<eof>")
                    << "\n(rerun with MCDEWEY_UPDATE_GOLDEN=1 to accept, then review the diff)";
      return;
    }
    ++line;
  }
  ADD_FAILURE() << "golden " << name << " differs (line endings or trailing bytes)";
}

inline std::string data_file(const std::string& rel) { return read_all(std::filesystem::path(MCDEWEY_TEST_DATA) / rel); }

}  // namespace mcdewey::testing
