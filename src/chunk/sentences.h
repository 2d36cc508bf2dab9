// Sentence boundaries, for cutting a paragraph that is too long for one chunk.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace mcdewey::chunk {

// Offsets (into `text`) where a new sentence starts, not including 0. A boundary is '.',
// '!' or '?' (optionally followed by a closing quote or bracket), then whitespace, then a
// capital letter, digit, quote or bracket. Common abbreviations (e.g., i.e., etc., Fig.,
// vs., No.) and decimals/versions (3.11) are not boundaries.
std::vector<size_t> sentence_starts(std::string_view text);

// Offsets where a new word starts (not including 0): the last resort for a sentence that is
// larger than any chunk may be.
std::vector<size_t> word_starts(std::string_view text);

}  // namespace mcdewey::chunk
