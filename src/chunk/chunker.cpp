#include "chunk/chunker.h"

#include <algorithm>
#include <map>

#include "chunk/blocks.h"
#include "chunk/sentences.h"
#include "common/strings.h"

namespace mcdewey::chunk {

namespace {

// A block, or a piece of one that was too long to keep whole.
struct Piece {
  const Block* block = nullptr;
  size_t start = 0;
  size_t end = 0;
  int words = 0;
  bool is_heading() const { return block->kind == BlockKind::kHeading; }
};

int count(std::string_view md, size_t a, size_t b) { return static_cast<int>(str::count_words(md.substr(a, b - a))); }

// Cuts [start, end) at the given boundaries (offsets relative to start) into pieces of at
// most `limit` words, greedily.
void pack_at(std::string_view md, const Block& b, const std::vector<size_t>& cuts, int limit,
             std::vector<Piece>* out) {
  size_t piece_start = b.start;
  size_t last_cut = b.start;
  int words = 0;
  std::vector<size_t> bounds;
  for (size_t c : cuts) bounds.push_back(b.start + c);
  bounds.push_back(b.end);
  for (size_t bound : bounds) {
    int seg = count(md, last_cut, bound);
    if (words > 0 && words + seg > limit) {
      out->push_back({&b, piece_start, last_cut, words});
      piece_start = last_cut;
      words = 0;
    }
    words += seg;
    last_cut = bound;
  }
  if (last_cut > piece_start) out->push_back({&b, piece_start, last_cut, words});
}

std::vector<size_t> line_starts(std::string_view text) {
  std::vector<size_t> out;
  for (size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '\n') out.push_back(i + 1);
  }
  return out;
}

void split_block(std::string_view md, const Block& b, const ChunkerOptions& o, std::vector<Piece>* out) {
  std::string_view text = md.substr(b.start, b.end - b.start);
  if (b.kind == BlockKind::kHeading || b.words <= o.max_words) {
    out->push_back({&b, b.start, b.end, b.words});
    return;
  }
  if (b.kind == BlockKind::kCode || b.kind == BlockKind::kTable) {
    if (b.words <= o.max_atomic_words) {
      out->push_back({&b, b.start, b.end, b.words});
    } else {
      pack_at(md, b, line_starts(text), o.max_words, out);
    }
    return;
  }
  // A long paragraph: between sentences, then words inside any sentence that is enormous.
  std::vector<size_t> cuts;
  size_t prev = 0;
  auto sentences = sentence_starts(text);
  sentences.push_back(text.size());
  for (size_t s : sentences) {
    std::string_view sentence = text.substr(prev, s - prev);
    if (static_cast<int>(str::count_words(sentence)) > o.max_words) {
      auto words = word_starts(sentence);
      for (size_t i = 0; i < words.size(); ++i) {
        if ((i + 1) % static_cast<size_t>(o.max_words) == 0) cuts.push_back(prev + words[i]);
      }
    }
    if (s < text.size()) cuts.push_back(s);
    prev = s;
  }
  pack_at(md, b, cuts, o.max_words, out);
}

// The structural level at which chunks are never merged (see chunker.h).
int top_level(const std::vector<Block>& blocks) {
  std::map<int, int> per_level;
  for (const auto& b : blocks) {
    if (b.kind == BlockKind::kHeading) per_level[b.level]++;
  }
  if (per_level.empty()) return 0;
  auto it = per_level.begin();
  if (it->second == 1 && per_level.size() > 1) return std::next(it)->first;
  return it->first;
}

}  // namespace

std::vector<model::Chunk> chunk_markdown(std::string_view md, const ChunkerOptions& o) {
  const std::vector<Block> blocks = split_blocks(md);
  std::vector<Piece> pieces;
  pieces.reserve(blocks.size());
  for (const auto& b : blocks) split_block(md, b, o, &pieces);
  const int top = top_level(blocks);

  std::vector<model::Chunk> chunks;
  std::vector<std::pair<int, std::string>> stack;  // (level, heading text)
  std::vector<Piece> cur;
  int cur_words = 0;                   // words of content pieces in `cur`
  std::vector<std::string> cur_path;   // heading path at the first content piece

  auto emit = [&](size_t upto) {  // emits cur[0, upto) as one chunk
    if (upto == 0) return;
    model::Chunk c;
    c.ordinal = static_cast<int>(chunks.size());
    c.byte_start = cur.front().start;
    c.byte_end = cur[upto - 1].end;
    c.text = text_without_markers(md, c.byte_start, c.byte_end);
    c.heading_path = cur_path;
    c.page = cur.front().block->page;
    c.page_label = cur.front().block->page_label;
    c.page_end = cur[upto - 1].block->page_end;
    c.words = static_cast<int>(str::count_words(c.text));
    chunks.push_back(std::move(c));
    cur.erase(cur.begin(), cur.begin() + static_cast<std::ptrdiff_t>(upto));
  };
  // Flushes content, keeping trailing headings to start the next chunk.
  auto flush = [&]() {
    size_t upto = cur.size();
    while (upto > 0 && cur[upto - 1].is_heading()) --upto;
    if (upto > 0) emit(upto);
    cur_words = 0;
  };
  auto path_now = [&]() {
    std::vector<std::string> p;
    for (const auto& [lvl, text] : stack) p.push_back(text);
    return p;
  };

  for (const Piece& p : pieces) {
    if (p.is_heading()) {
      const int level = p.block->level;
      if (level <= top || cur_words >= o.min_words) flush();
      while (!stack.empty() && stack.back().first >= level) stack.pop_back();
      stack.emplace_back(level, p.block->heading_text);
      cur.push_back(p);
      continue;
    }
    if (cur_words > 0 && cur_words + p.words > o.max_words) flush();
    if (cur_words == 0) cur_path = path_now();
    cur.push_back(p);
    cur_words += std::max(p.words, 1);
  }
  if (cur_words > 0) {
    flush();
  }
  if (!cur.empty()) {  // the document ends with headings and no text under them
    cur_path = path_now();
    emit(cur.size());
  }
  return chunks;
}

}  // namespace mcdewey::chunk
