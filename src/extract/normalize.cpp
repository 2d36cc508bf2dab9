#include "extract/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include "common/utf8.h"

namespace mcdewey::extract {

namespace {

bool is_odd_space(char32_t c) {
  return c == 0x00A0 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F || c == 0x3000 ||
         c == 0x1680;
}

bool is_dropped(char32_t c) {
  if (c == 0x00AD) return true;                              // soft hyphen
  if (c == 0x200B || c == 0x200C || c == 0x200D) return true;  // zero-width space/joiners
  if (c == 0xFEFF || c == 0x2060) return true;               // BOM, word joiner
  if (c < 0x20 && c != '\n' && c != '\t') return true;       // control characters ('\r' handled before)
  if (c == 0x7F || (c >= 0x80 && c < 0xA0)) return true;     // DEL, C1 controls
  return false;
}

}  // namespace

std::string normalize_text(std::string_view in) {
  // Pass 1: line ends, odd spaces and invisible characters (cheap, byte-level).
  std::string pre;
  pre.reserve(in.size());
  bool ascii_only = true;
  for (size_t i = 0; i < in.size();) {
    unsigned char b = static_cast<unsigned char>(in[i]);
    if (b == '\r') {
      pre += '\n';
      ++i;
      if (i < in.size() && in[i] == '\n') ++i;
      continue;
    }
    if (b < 0x80) {
      if (!is_dropped(b)) pre += static_cast<char>(b);
      ++i;
      continue;
    }
    char32_t cp = utf8::decode(in, i);
    if (is_odd_space(cp)) {
      pre += ' ';
    } else if (!is_dropped(cp)) {
      utf8::append(pre, cp);
      ascii_only = false;
    }
  }
  if (ascii_only) return pre;  // NFKC is the identity on ASCII

  // Pass 2: NFKC by ICU.
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(err);
  if (U_FAILURE(err) || nfkc == nullptr) return pre;
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(pre.data(), static_cast<int32_t>(pre.size())));
  if (nfkc->isNormalized(u, err) && U_SUCCESS(err)) return pre;
  err = U_ZERO_ERROR;
  icu::UnicodeString n = nfkc->normalize(u, err);
  if (U_FAILURE(err)) return pre;
  std::string out;
  n.toUTF8String(out);
  return out;
}

}  // namespace mcdewey::extract
