// Tokeniser for the built-in embedder: technical text -> lower-case word tokens.
//
// Rules (each has a test in tests/unit/embed/tokenizer_test.cpp):
//  * A raw token is a run of ASCII letters/digits, UTF-8 non-ASCII bytes, and the inner
//    connectors `.` `_` `-` (a connector counts only between two word characters, so a
//    sentence-final "." or a "--flag" dash is not part of a token).
//  * Everything is lower-cased (ASCII only; other UTF-8 bytes pass through).
//  * Numbers and versions stay whole: "9.18", "2048", "v15", "1.2.3a" -> one token each.
//  * Identifiers are emitted whole AND split into their parts, whole first:
//      "named.conf"      -> named.conf named conf
//      "max_retry-count" -> max_retry-count max retry count
//      "getUserName"     -> getusername get user name
//      "HTTPServer"      -> httpserver http server
//    camelCase splits at lower->Upper, and before the last capital of an upper-case run of
//    2+ letters followed by 2+ lower-case letters ("XMLParser" -> xml parser), never between
//    letters and digits ("x509", "sha256", "ipv6" stay whole).
//  * Tokens of one byte and tokens longer than kMaxTokenBytes are dropped (hashes, base64);
//    the pretrained vectors have no single letters.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mcdewey::embed {

inline constexpr size_t kMaxTokenBytes = 48;

// Calls sink(std::string_view token) for every token, in order. The view is valid only
// during the call. This is the allocation-free core used on the whole library.
template <typename Sink>
void for_each_token(std::string_view text, Sink&& sink);

// Convenience: all tokens of `text`.
std::vector<std::string> tokenize(std::string_view text);

namespace detail {
// Splits one raw token (already delimited, connectors only inside) and emits its tokens.
// `scratch` is reused between calls to avoid allocation.
void emit_raw_token(std::string_view raw, std::string& scratch, void (*emit)(void*, std::string_view), void* ctx);
inline bool is_word_byte(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}
inline bool is_connector(unsigned char c) { return c == '.' || c == '_' || c == '-'; }
}  // namespace detail

template <typename Sink>
void for_each_token(std::string_view text, Sink&& sink) {
  std::string scratch;
  auto emit = [](void* ctx, std::string_view t) { (*static_cast<std::remove_reference_t<Sink>*>(ctx))(t); };
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    while (i < n && !detail::is_word_byte(static_cast<unsigned char>(text[i]))) ++i;
    if (i >= n) break;
    size_t start = i;
    while (i < n) {
      unsigned char c = static_cast<unsigned char>(text[i]);
      if (detail::is_word_byte(c)) {
        ++i;
      } else if (detail::is_connector(c) && i + 1 < n && detail::is_word_byte(static_cast<unsigned char>(text[i + 1]))) {
        ++i;
      } else {
        break;
      }
    }
    detail::emit_raw_token(text.substr(start, i - start), scratch, emit, &sink);
  }
}

}  // namespace mcdewey::embed
