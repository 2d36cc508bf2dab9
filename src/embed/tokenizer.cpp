#include "embed/tokenizer.h"

namespace mcdewey::embed {
namespace detail {
namespace {

bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_upper(unsigned char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(unsigned char c) { return c >= 'a' && c <= 'z'; }
bool is_alpha(unsigned char c) { return is_upper(c) || is_lower(c); }

// "9.18", "2048", "v15", "V1.2.3a", "10-2": digits grouped by . or -, optionally led by one
// 'v' and ended by one letter. Kept whole: splitting a version loses its meaning.
bool is_number_or_version(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == 'v' || s[i] == 'V')) ++i;
  if (i >= s.size() || !is_digit(static_cast<unsigned char>(s[i]))) return false;
  bool prev_digit = false;
  for (; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (is_digit(c)) {
      prev_digit = true;
    } else if (c == '.' || c == '-') {
      if (!prev_digit) return false;
      prev_digit = false;
    } else if (is_alpha(c) && i + 1 == s.size() && prev_digit) {
      return true;
    } else {
      return false;
    }
  }
  return prev_digit;
}

void emit_lower(std::string_view part, std::string& scratch, void (*emit)(void*, std::string_view), void* ctx) {
  if (part.size() < 2 || part.size() > kMaxTokenBytes) return;
  scratch.assign(part);
  for (char& c : scratch) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  emit(ctx, scratch);
}

// Emits the camelCase parts of one connector-free piece; returns how many parts it had.
template <typename F>
int camel_parts(std::string_view s, F&& on_part) {
  int parts = 0;
  size_t start = 0;
  for (size_t i = 1; i < s.size(); ++i) {
    unsigned char prev = static_cast<unsigned char>(s[i - 1]);
    unsigned char cur = static_cast<unsigned char>(s[i]);
    bool cut = false;
    if (is_lower(prev) && is_upper(cur)) {
      cut = true;
    } else if (is_upper(prev) && is_upper(cur) && i + 2 < s.size() && is_lower(static_cast<unsigned char>(s[i + 1])) &&
               is_lower(static_cast<unsigned char>(s[i + 2]))) {
      // Upper run before i: at least 2 capitals ("XMLParser" -> XML|Parser, not "IPsec" -> I|Psec).
      size_t run = 0;
      for (size_t j = i; j > start && is_upper(static_cast<unsigned char>(s[j - 1])); --j) ++run;
      cut = run >= 2;
    }
    if (cut) {
      on_part(s.substr(start, i - start));
      ++parts;
      start = i;
    }
  }
  on_part(s.substr(start));
  return parts + 1;
}

}  // namespace

void emit_raw_token(std::string_view raw, std::string& scratch, void (*emit)(void*, std::string_view), void* ctx) {
  if (raw.empty()) return;
  if (is_number_or_version(raw)) {
    emit_lower(raw, scratch, emit, ctx);
    return;
  }
  // Count pieces and camel parts first, to know whether the token is compound at all.
  int total_parts = 0;
  size_t start = 0;
  for (size_t i = 0; i <= raw.size(); ++i) {
    if (i == raw.size() || is_connector(static_cast<unsigned char>(raw[i]))) {
      if (i > start) total_parts += camel_parts(raw.substr(start, i - start), [](std::string_view) {});
      start = i + 1;
    }
  }
  emit_lower(raw, scratch, emit, ctx);
  if (total_parts <= 1) return;
  start = 0;
  for (size_t i = 0; i <= raw.size(); ++i) {
    if (i == raw.size() || is_connector(static_cast<unsigned char>(raw[i]))) {
      if (i > start) {
        std::string_view piece = raw.substr(start, i - start);
        // A numeric piece of an identifier ("eth0.100", "tls-1.2" pieces) is kept as is.
        camel_parts(piece, [&](std::string_view p) { emit_lower(p, scratch, emit, ctx); });
      }
      start = i + 1;
    }
  }
}

}  // namespace detail

std::vector<std::string> tokenize(std::string_view text) {
  std::vector<std::string> out;
  for_each_token(text, [&](std::string_view t) { out.emplace_back(t); });
  return out;
}

}  // namespace mcdewey::embed
