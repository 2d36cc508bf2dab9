// Content hashing for change detection (not for security): 64-bit FNV-1a as 16 hex digits.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mcdewey {

uint64_t hash64(std::string_view data, uint64_t seed = 0xcbf29ce484222325ULL);
std::string hash_hex(std::string_view data);

}  // namespace mcdewey
