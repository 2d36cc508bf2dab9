// Unicode clean-up shared by the extractors.
#pragma once

#include <string>
#include <string_view>

namespace mcdewey::extract {

// NFKC (ligatures "ﬁ" -> "fi", full-width forms, odd spaces such as U+00A0/U+2009 -> ' '),
// then drops control characters other than '\n' and '\t', soft hyphens and zero-width
// characters, and normalises line ends to '\n'. Input must be valid UTF-8.
std::string normalize_text(std::string_view utf8);

}  // namespace mcdewey::extract
