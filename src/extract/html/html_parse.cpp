#include "extract/html/html_parse.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace mcdewey::extract::html {

// ---------------------------------------------------------------------------------------------
// Pool allocator.

// Small requests (up to 4 KiB) come from 64 KiB slabs in power-of-two size classes and go back
// to a per-class free list; larger ones are malloc'ed and kept on a list. Everything is
// released when the pool dies, so the gumbo tree needs no gumbo_destroy_output() walk.
class PoolAllocator {
 public:
  PoolAllocator() = default;
  PoolAllocator(const PoolAllocator&) = delete;
  PoolAllocator& operator=(const PoolAllocator&) = delete;
  ~PoolAllocator() {
    for (void* slab : slabs_) std::free(slab);
    while (large_ != nullptr) {
      LargeLink* next = large_->next;
      std::free(large_);
      large_ = next;
    }
  }

  void* allocate(size_t n) {
    if (n > kMaxSmall) return allocate_large(n);
    const unsigned cls = size_class(n);
    const size_t block = kSmallHeader + (size_t{16} << cls);
    char* start = nullptr;
    if (free_[cls] != nullptr) {
      start = reinterpret_cast<char*>(free_[cls]);
      free_[cls] = free_[cls]->next;
    } else {
      if (slab_left_ < block) new_slab();
      start = slab_next_;
      slab_next_ += block;
      slab_left_ -= block;
    }
    char* payload = start + kSmallHeader;
    std::memcpy(payload - sizeof(uint64_t), &kTags[cls], sizeof(uint64_t));
    return payload;
  }

  void deallocate(void* p) {
    if (p == nullptr) return;
    char* payload = static_cast<char*>(p);
    uint64_t tag = 0;
    std::memcpy(&tag, payload - sizeof(uint64_t), sizeof(uint64_t));
    if (tag == kLargeTag) {
      auto* link = reinterpret_cast<LargeLink*>(payload - kLargeHeader);
      if (link->prev != nullptr) link->prev->next = link->next; else large_ = link->next;
      if (link->next != nullptr) link->next->prev = link->prev;
      std::free(link);
      return;
    }
    const auto cls = static_cast<unsigned>(tag - kSmallTagBase);
    auto* block = reinterpret_cast<FreeBlock*>(payload - kSmallHeader);
    block->next = free_[cls];
    free_[cls] = block;
  }

  static void* gumbo_allocate(void* self, size_t n) { return static_cast<PoolAllocator*>(self)->allocate(n); }
  static void gumbo_deallocate(void* self, void* p) { static_cast<PoolAllocator*>(self)->deallocate(p); }

 private:
  // Headers keep payloads 16-byte aligned; the 8 bytes just before a payload hold its tag.
  static constexpr size_t kSmallHeader = 16;
  static constexpr size_t kLargeHeader = 32;
  static constexpr unsigned kClasses = 9;  // 16, 32, ..., 4096 bytes
  static constexpr size_t kMaxSmall = size_t{16} << (kClasses - 1);
  static constexpr size_t kSlabSize = 64 * 1024;
  static constexpr uint64_t kSmallTagBase = 0x5EED0000;
  static constexpr uint64_t kLargeTag = 0x5EEDFFFF;
  static constexpr uint64_t kTags[kClasses] = {kSmallTagBase + 0, kSmallTagBase + 1, kSmallTagBase + 2,
                                               kSmallTagBase + 3, kSmallTagBase + 4, kSmallTagBase + 5,
                                               kSmallTagBase + 6, kSmallTagBase + 7, kSmallTagBase + 8};

  struct FreeBlock {
    FreeBlock* next;
  };
  struct LargeLink {
    LargeLink* prev;
    LargeLink* next;
  };

  // Gumbo is C: an exception cannot unwind through it, and it does not check for null.
  [[noreturn]] static void out_of_memory() { std::abort(); }

  static unsigned size_class(size_t n) {
    unsigned cls = 0;
    while ((size_t{16} << cls) < n) ++cls;
    return cls;
  }

  void new_slab() {
    void* slab = std::malloc(kSlabSize);
    if (slab == nullptr) out_of_memory();
    slabs_.push_back(slab);
    slab_next_ = static_cast<char*>(slab);
    slab_left_ = kSlabSize;
  }

  void* allocate_large(size_t n) {
    auto* link = static_cast<LargeLink*>(std::malloc(kLargeHeader + n));
    if (link == nullptr) out_of_memory();
    link->prev = nullptr;
    link->next = large_;
    if (large_ != nullptr) large_->prev = link;
    large_ = link;
    char* payload = reinterpret_cast<char*>(link) + kLargeHeader;
    std::memcpy(payload - sizeof(uint64_t), &kLargeTag, sizeof(uint64_t));
    return payload;
  }

  std::vector<void*> slabs_;
  char* slab_next_ = nullptr;
  size_t slab_left_ = 0;
  FreeBlock* free_[kClasses] = {};
  LargeLink* large_ = nullptr;
};

// ---------------------------------------------------------------------------------------------
// Pre-parse clean-up: nesting guard, script/style/svg removal.

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

bool one_of(std::string_view name, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), name) != set.end();
}

// Elements that never stay open (void elements).
bool is_void(std::string_view n) {
  return one_of(n, {"area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
                    "keygen", "link", "meta", "param", "source", "track", "wbr", "image"});
}

// Elements that the tree builder closes implicitly when a sibling of the same family starts
// (<p>, <li>, table parts, ...), so an unclosed run of them does not nest.
bool is_auto_closing(std::string_view n) {
  return one_of(n, {"p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot",
                    "rb", "rt", "rtc", "rp", "colgroup", "caption", "html", "head", "body"});
}

// Elements whose content is raw text: tags inside them are not tags.
bool is_raw_text(std::string_view n) {
  return one_of(n, {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"});
}

// Case-insensitive search for "</name" from `pos`.
size_t find_end_tag(std::string_view html, size_t pos, std::string_view name) {
  while (true) {
    pos = html.find("</", pos);
    if (pos == std::string_view::npos) return pos;
    size_t i = pos + 2;
    size_t k = 0;
    while (k < name.size() && i + k < html.size() && lower(html[i + k]) == name[k]) ++k;
    if (k == name.size()) return pos;
    pos += 2;
  }
}

// End of the tag that starts at `pos` (index just past '>'), honouring quoted attribute values.
size_t tag_end(std::string_view html, size_t pos) {
  char quote = 0;
  for (size_t i = pos; i < html.size(); ++i) {
    char c = html[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '>') {
      return i + 1;
    }
  }
  return html.size();
}

// Case-insensitive search for the "</svg" that closes the <svg> whose content starts at `pos`
// (nested <svg>s counted); npos if there is none.
size_t find_svg_end(std::string_view html, size_t pos) {
  int depth = 1;
  while ((pos = html.find('<', pos)) != std::string_view::npos) {
    const bool closing = pos + 1 < html.size() && html[pos + 1] == '/';
    const size_t name = pos + (closing ? 2 : 1);
    if (name + 3 <= html.size() && lower(html[name]) == 's' && lower(html[name + 1]) == 'v' &&
        lower(html[name + 2]) == 'g' && (name + 3 == html.size() || !is_alpha(html[name + 3]))) {
      depth += closing ? -1 : 1;
      if (depth == 0) return pos;
    }
    ++pos;
  }
  return std::string_view::npos;
}

}  // namespace

PreparedHtml prepare_html(std::string_view html, size_t max_depth) {
  struct Open {
    std::string name;
    bool foreign;  // inside <svg>/<math>, where "/>" really closes
    bool dropped;  // beyond max_depth: removed, and so is its end tag
  };
  // End tags are matched this far down the stack at most, so that a flood of stray end tags
  // costs O(n) and not O(n * depth).
  constexpr size_t kEndTagSearch = 1024;

  PreparedHtml result;
  std::vector<Open> stack;
  size_t copied = 0;  // html[0, copied) is already in result.html
  auto cut = [&](size_t from, size_t to, std::string_view replacement) {
    result.html.append(html.substr(copied, from - copied));
    result.html.append(replacement);
    copied = to;
    result.changed = true;
  };

  size_t pos = 0;
  while (true) {
    pos = html.find('<', pos);
    if (pos == std::string_view::npos || pos + 1 >= html.size()) break;
    const char next = html[pos + 1];
    if (next == '!') {
      if (html.substr(pos, 4) == "<!--") {
        size_t end = html.find("-->", pos + 4);
        pos = end == std::string_view::npos ? html.size() : end + 3;
      } else {
        pos = tag_end(html, pos + 2);
      }
      continue;
    }
    if (next == '?') {
      pos = tag_end(html, pos + 2);
      continue;
    }
    const bool closing = next == '/';
    size_t name_start = pos + (closing ? 2 : 1);
    if (name_start >= html.size() || !is_alpha(html[name_start])) {
      pos = name_start;
      continue;
    }
    size_t name_end = name_start;
    while (name_end < html.size() && !is_space(html[name_end]) && html[name_end] != '>' && html[name_end] != '/') {
      ++name_end;
    }
    std::string name(html.substr(name_start, name_end - name_start));
    for (char& c : name) c = lower(c);
    const size_t end = tag_end(html, name_end);

    if (closing) {
      const size_t limit = std::min(stack.size(), kEndTagSearch);
      for (size_t k = 1; k <= limit; ++k) {
        if (stack[stack.size() - k].name != name) continue;
        const bool dropped = stack[stack.size() - k].dropped;
        stack.resize(stack.size() - k);
        if (dropped) cut(pos, end, "");
        break;
      }
      pos = end;
      continue;
    }

    const bool in_foreign = !stack.empty() && stack.back().foreign;
    const bool self_closed = end >= 2 && html[end - 2] == '/';
    if (!in_foreign && (name == "script" || name == "style")) {
      // Never content, and gumbo's tokenizer pays for every byte of them.
      const size_t close = find_end_tag(html, end, name);
      if (close == std::string_view::npos) {
        pos = html.size();
      } else {
        const size_t close_end = tag_end(html, close + 2);
        cut(pos, close_end, "");
        pos = close_end;
      }
      continue;
    }
    if (!in_foreign && name == "svg" && !self_closed) {
      // Inline SVG (SQLite's railroad diagrams: 8 MB of the corpus) is dropped as a whole; a
      // space keeps the words on either side apart.
      const size_t close = find_svg_end(html, end);
      if (close != std::string_view::npos) {
        const size_t close_end = tag_end(html, close + 2);
        cut(pos, close_end, " ");
        pos = close_end;
        continue;
      }
    }
    if (is_raw_text(name) && !in_foreign) {
      const size_t close = find_end_tag(html, end, name);
      pos = close == std::string_view::npos ? html.size() : close;
      continue;
    }
    if (is_void(name) || is_auto_closing(name) || (self_closed && in_foreign)) {
      pos = end;
      continue;
    }
    const bool foreign = in_foreign || name == "svg" || name == "math";
    if (stack.size() >= max_depth) {
      cut(pos, end, "");
      stack.push_back({std::move(name), foreign, true});
      ++result.flattened;
    } else {
      stack.push_back({std::move(name), foreign, false});
    }
    pos = end;
  }
  if (result.changed) result.html.append(html.substr(copied));
  return result;
}

// ---------------------------------------------------------------------------------------------
// ParsedHtml.

ParsedHtml::ParsedHtml(std::string_view html) : pool_(std::make_unique<PoolAllocator>()), options_(kGumboDefaultOptions) {
  options_.allocator = &PoolAllocator::gumbo_allocate;
  options_.deallocator = &PoolAllocator::gumbo_deallocate;
  options_.userdata = pool_.get();
  // Gumbo copies the whole stack of open elements into every parse error it records; on
  // broken or deeply nested markup that is quadratic in time and memory. We never read them.
  options_.max_errors = 0;
  output_ = gumbo_parse_with_options(&options_, html.data(), html.size());
}

// The pool owns every byte gumbo allocated; dropping it frees the tree in one go.
ParsedHtml::~ParsedHtml() = default;

}  // namespace mcdewey::extract::html
