// Document -> chunks: heading-aware, page-aware, sentence-aware (DESIGN.md "chunk").
//
// Rules, in order of preference:
//  * never across a top-level section: a heading at the top level (the shallowest level
//    used, or the next one down when the shallowest is a single document title) always
//    starts a new chunk;
//  * cut at deeper headings once the chunk holds at least `min_words`;
//  * otherwise cut between paragraphs before a chunk would exceed `max_words`;
//  * a paragraph longer than `max_words` is cut between sentences (never mid-sentence,
//    unless one sentence alone is longer than `max_words`);
//  * a code block or table is kept whole up to `max_atomic_words`, else cut between lines;
//  * a heading never ends a chunk: it merges into what follows.
#pragma once

#include <string_view>
#include <vector>

#include "model/chunk.h"

namespace mcdewey::chunk {

struct ChunkerOptions {
  int min_words = 120;         // a sub-heading cuts once the chunk has this many words
  int max_words = 280;         // soft cap: paragraphs are packed up to this (measured, design-notes.md)
  int max_atomic_words = 600;  // code blocks and tables up to this are never cut
};

// Chunks canonical Markdown (with page markers). Deterministic: the same input always
// gives the same chunks, so chunk ids are stable across re-ingest.
std::vector<model::Chunk> chunk_markdown(std::string_view markdown, const ChunkerOptions& options = {});

}  // namespace mcdewey::chunk
