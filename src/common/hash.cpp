#include "common/hash.h"

#include <fmt/format.h>

namespace mcdewey {

uint64_t hash64(std::string_view data, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : data) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string hash_hex(std::string_view data) {
  // Two passes with different seeds make accidental collisions vanishingly rare (128 bits).
  return fmt::format("{:016x}{:016x}", hash64(data), hash64(data, 0x84222325cbf29ce4ULL));
}

}  // namespace mcdewey
