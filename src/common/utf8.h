// UTF-8 validation and repair. Extractors call these so that nothing invalid reaches the store.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace mcdewey::utf8 {

// Byte offset of the first invalid sequence, or npos when `s` is valid UTF-8.
size_t first_invalid(std::string_view s);
inline bool is_valid(std::string_view s) { return first_invalid(s) == std::string_view::npos; }
// Replaces every invalid sequence with U+FFFD.
std::string sanitize(std::string_view s);
// Decodes one code point at s[i], advancing i; returns U+FFFD on a bad sequence.
char32_t decode(std::string_view s, size_t& i);
void append(std::string& out, char32_t cp);
// Largest prefix of `s` no longer than max_bytes that does not split a code point.
std::string_view truncate(std::string_view s, size_t max_bytes);

}  // namespace mcdewey::utf8
