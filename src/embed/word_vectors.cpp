#include "embed/word_vectors.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "common/fs.h"

namespace mcdewey::embed {

static_assert(std::endian::native == std::endian::little, "the word-vector format is little-endian");

namespace {

constexpr size_t kHeaderBytes = 128;
constexpr size_t kNameBytes = 40;

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t dims;
  uint32_t vocab;
  uint32_t slots;
  uint32_t flags;
  uint32_t pad;
  uint64_t scales_off;
  uint64_t rows_off;
  uint64_t offsets_off;
  uint64_t strings_off;
  uint64_t hash_off;
  uint64_t file_size;
  uint64_t checksum;
  char name[kNameBytes];
};
static_assert(sizeof(Header) == kHeaderBytes);

constexpr uint32_t kMaxDims = 4096;

uint64_t fnv_update(uint64_t h, const uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 0x100000001b3ULL;
  }
  return h;
}
constexpr uint64_t kFnvSeed = 0xcbf29ce484222325ULL;

size_t align_up(size_t v, size_t a) { return (v + a - 1) / a * a; }

uint32_t slots_for(uint32_t vocab) {
  uint32_t s = 16;
  while (s < uint64_t(vocab) * 2) s <<= 1;
  return s;
}

}  // namespace

uint64_t word_hash(std::string_view word) {
  return fnv_update(kFnvSeed, reinterpret_cast<const uint8_t*>(word.data()), word.size());
}

// ---------------------------------------------------------------------------------------------
// Reader

WordVectors::~WordVectors() {
  if (map_ != nullptr) ::munmap(const_cast<uint8_t*>(map_), map_size_);
}

Result<std::shared_ptr<const WordVectors>> WordVectors::open(const std::filesystem::path& path) {
  const std::string p = path.string();
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return not_found(fmt::format("no word-vector file {}", p));
    return io_error(fmt::format("cannot open {}: {}", p, std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    return io_error(fmt::format("cannot stat {}: {}", p, std::strerror(e)));
  }
  const size_t size = static_cast<size_t>(st.st_size);
  if (size < kHeaderBytes) {
    char magic[8];
    const bool foreign = size >= 8 && ::pread(fd, magic, 8, 0) == 8 && std::memcmp(magic, kWordVectorsMagic, 8) != 0;
    ::close(fd);
    if (foreign) return unsupported(fmt::format("{} is not a McDewey word-vector file (wrong magic)", p));
    return corrupt(fmt::format("{} is truncated ({} bytes, header needs {})", p, size, kHeaderBytes));
  }
  void* m = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
  int map_errno = errno;
  ::close(fd);
  if (m == MAP_FAILED) return io_error(fmt::format("cannot mmap {}: {}", p, std::strerror(map_errno)));

  std::shared_ptr<WordVectors> wv(new WordVectors());
  wv->map_ = static_cast<const uint8_t*>(m);
  wv->map_size_ = size;

  Header h;
  std::memcpy(&h, wv->map_, sizeof h);
  if (std::memcmp(h.magic, kWordVectorsMagic, 8) != 0) {
    return unsupported(fmt::format("{} is not a McDewey word-vector file (wrong magic)", p));
  }
  if (h.version != kWordVectorsVersion) {
    return unsupported(fmt::format("{} has word-vector format version {}; this McDewey reads version {}", p,
                                   h.version, kWordVectorsVersion));
  }
  auto bad = [&](std::string_view what) { return corrupt(fmt::format("{} is corrupt: {}", p, what)); };
  if (h.file_size != size) {
    return corrupt(fmt::format("{} is truncated or padded: header says {} bytes, file has {}", p, h.file_size, size));
  }
  if (h.dims == 0 || h.dims > kMaxDims) return bad("dimensions out of range");
  if (h.vocab == 0) return bad("empty vocabulary");
  if (h.slots < h.vocab || (h.slots & (h.slots - 1)) != 0) return bad("hash table size");
  auto section_ok = [&](uint64_t off, uint64_t bytes, size_t align) {
    return off >= kHeaderBytes && off % align == 0 && off <= size && bytes <= size - off;
  };
  const uint64_t vocab = h.vocab;
  if (!section_ok(h.scales_off, vocab * 4, 4)) return bad("scales section out of bounds");
  if (!section_ok(h.rows_off, vocab * h.dims, 1)) return bad("rows section out of bounds");
  if (!section_ok(h.offsets_off, (vocab + 1) * 4, 4)) return bad("string offsets out of bounds");
  if (!section_ok(h.hash_off, uint64_t(h.slots) * 4, 4)) return bad("hash table out of bounds");
  if (h.strings_off < kHeaderBytes || h.strings_off > size) return bad("strings section out of bounds");

  wv->dims_ = static_cast<int>(h.dims);
  wv->vocab_ = h.vocab;
  wv->slots_ = h.slots;
  wv->checksum_ = h.checksum;
  wv->name_.assign(h.name, strnlen(h.name, kNameBytes));
  wv->scales_ = reinterpret_cast<const float*>(wv->map_ + h.scales_off);
  wv->rows_ = reinterpret_cast<const int8_t*>(wv->map_ + h.rows_off);
  wv->offsets_ = reinterpret_cast<const uint32_t*>(wv->map_ + h.offsets_off);
  wv->strings_ = reinterpret_cast<const char*>(wv->map_ + h.strings_off);
  wv->hash_ = reinterpret_cast<const uint32_t*>(wv->map_ + h.hash_off);

  // Cheap structural checks (about 1 ms on 341k words) so no later read can leave the map.
  const uint64_t strings_bytes = size - h.strings_off;
  if (wv->offsets_[0] != 0) return bad("string offsets");
  for (uint32_t i = 0; i < h.vocab; ++i) {
    if (wv->offsets_[i + 1] < wv->offsets_[i]) return bad("string offsets not increasing");
  }
  if (wv->offsets_[h.vocab] > strings_bytes) return bad("strings section truncated");
  for (uint32_t i = 0; i < h.slots; ++i) {
    if (wv->hash_[i] > h.vocab) return bad("hash table entry out of range");
  }
  return std::shared_ptr<const WordVectors>(std::move(wv));
}

std::optional<uint32_t> WordVectors::find(std::string_view word) const {
  const uint32_t mask = slots_ - 1;
  uint32_t slot = static_cast<uint32_t>(word_hash(word)) & mask;
  for (uint32_t probes = 0; probes < slots_; ++probes) {
    uint32_t v = hash_[slot];
    if (v == 0) return std::nullopt;
    if (this->word(v - 1) == word) return v - 1;
    slot = (slot + 1) & mask;
  }
  return std::nullopt;
}

std::string_view WordVectors::word(uint32_t row) const {
  return {strings_ + offsets_[row], size_t(offsets_[row + 1] - offsets_[row])};
}

void WordVectors::vector(uint32_t r, float* out) const {
  const int8_t* q = row(r);
  const float s = scales_[r];
  for (int i = 0; i < dims_; ++i) out[i] = s * float(q[i]);
}

void WordVectors::add_to(uint32_t r, float weight, float* acc) const {
  const int8_t* q = row(r);
  const float s = scales_[r] * weight;
  for (int i = 0; i < dims_; ++i) acc[i] += s * float(q[i]);
}

Status WordVectors::verify() const {
  uint64_t c = fnv_update(kFnvSeed, map_ + kHeaderBytes, map_size_ - kHeaderBytes);
  if (c != checksum_) return corrupt(fmt::format("word-vector file '{}' fails its checksum", name_));
  return Status::ok();
}

// ---------------------------------------------------------------------------------------------
// Writer

bool WordVectorsWriter::contains(std::string_view word, uint64_t h) const {
  if (table_.empty()) return false;
  const uint32_t mask = static_cast<uint32_t>(table_.size() - 1);
  for (uint32_t slot = static_cast<uint32_t>(h) & mask;; slot = (slot + 1) & mask) {
    uint32_t v = table_[slot];
    if (v == 0) return false;
    uint32_t r = v - 1;
    if (hashes_[r] == h && std::string_view(strings_).substr(offsets_[r], offsets_[r + 1] - offsets_[r]) == word) {
      return true;
    }
  }
}

void WordVectorsWriter::insert(uint64_t h, uint32_t row) {
  const uint32_t mask = static_cast<uint32_t>(table_.size() - 1);
  uint32_t slot = static_cast<uint32_t>(h) & mask;
  while (table_[slot] != 0) slot = (slot + 1) & mask;
  table_[slot] = row + 1;
}

bool WordVectorsWriter::add(std::string_view word, const float* vec) {
  if (word.empty()) return false;
  const uint64_t h = word_hash(word);
  if (contains(word, h)) return false;
  const uint32_t row = size();
  if (uint64_t(row + 1) * 2 > table_.size()) {
    std::vector<uint32_t> old;
    old.swap(table_);
    table_.assign(std::max<size_t>(64, old.size() * 2), 0);
    for (uint32_t r = 0; r < row; ++r) insert(hashes_[r], r);
  }
  float max_abs = 0.0f;
  for (int i = 0; i < dims_; ++i) max_abs = std::max(max_abs, std::fabs(vec[i]));
  const float scale = max_abs > 0.0f ? max_abs / 127.0f : 1.0f;
  double dot = 0.0, nf = 0.0, nq = 0.0;
  for (int i = 0; i < dims_; ++i) {
    long q = std::lround(vec[i] / scale);
    q = std::clamp(q, -127L, 127L);
    rows_.push_back(static_cast<int8_t>(q));
    const double back = double(q) * scale;
    dot += back * vec[i];
    nf += double(vec[i]) * vec[i];
    nq += back * back;
  }
  const double cos = (nf > 0 && nq > 0) ? dot / std::sqrt(nf * nq) : 1.0;
  min_cos_ = std::min(min_cos_, cos);
  sum_cos_ += cos;
  scales_.push_back(scale);
  strings_.append(word);
  offsets_.push_back(static_cast<uint32_t>(strings_.size()));
  hashes_.push_back(h);
  insert(h, row);
  return true;
}

Status WordVectorsWriter::write(const std::filesystem::path& path, std::string_view model_name) const {
  if (size() == 0) return invalid_argument("cannot write an empty word-vector file");
  if (dims_ <= 0 || uint32_t(dims_) > kMaxDims) return invalid_argument("word-vector dimensions out of range");
  if (model_name.size() >= kNameBytes) return invalid_argument("model name too long");
  const uint32_t vocab = size();
  const uint32_t slots = slots_for(vocab);
  std::vector<uint32_t> table(slots, 0);
  for (uint32_t r = 0; r < vocab; ++r) {
    uint32_t slot = static_cast<uint32_t>(hashes_[r]) & (slots - 1);
    while (table[slot] != 0) slot = (slot + 1) & (slots - 1);
    table[slot] = r + 1;
  }
  Header h{};
  std::memcpy(h.magic, kWordVectorsMagic, 8);
  h.version = kWordVectorsVersion;
  h.dims = static_cast<uint32_t>(dims_);
  h.vocab = vocab;
  h.slots = slots;
  h.scales_off = kHeaderBytes;
  h.rows_off = align_up(h.scales_off + uint64_t(vocab) * 4, 64);
  h.offsets_off = align_up(h.rows_off + uint64_t(vocab) * h.dims, 64);
  h.hash_off = align_up(h.offsets_off + uint64_t(vocab + 1) * 4, 64);
  h.strings_off = h.hash_off + uint64_t(slots) * 4;
  h.file_size = h.strings_off + strings_.size();
  std::memcpy(h.name, model_name.data(), model_name.size());

  std::string out(h.file_size, '\0');
  std::memcpy(out.data() + h.scales_off, scales_.data(), size_t(vocab) * 4);
  std::memcpy(out.data() + h.rows_off, rows_.data(), rows_.size());
  std::memcpy(out.data() + h.offsets_off, offsets_.data(), offsets_.size() * 4);
  std::memcpy(out.data() + h.hash_off, table.data(), table.size() * 4);
  std::memcpy(out.data() + h.strings_off, strings_.data(), strings_.size());
  h.checksum = fnv_update(kFnvSeed, reinterpret_cast<const uint8_t*>(out.data()) + kHeaderBytes, out.size() - kHeaderBytes);
  std::memcpy(out.data(), &h, sizeof h);
  return fs::write_file_atomic(path, out);
}

// ---------------------------------------------------------------------------------------------
// Streaming converter for the wink JSON

namespace {

class JsonScanner {
 public:
  JsonScanner(const char* p, const char* end) : p_(p), end_(end), begin_(p) {}

  void skip_ws() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool at_end() {
    skip_ws();
    return p_ >= end_;
  }
  bool consume(char c) {
    skip_ws();
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  char peek() {
    skip_ws();
    return p_ < end_ ? *p_ : '\0';
  }
  size_t offset() const { return size_t(p_ - begin_); }

  // Reads a JSON string into out (escapes decoded).
  bool string(std::string& out) {
    out.clear();
    if (!consume('"')) return false;
    while (p_ < end_) {
      const char* q = p_;
      while (q < end_ && *q != '"' && *q != '\\') ++q;
      out.append(p_, q);
      p_ = q;
      if (p_ >= end_) return false;
      if (*p_ == '"') {
        ++p_;
        return true;
      }
      ++p_;  // backslash
      if (p_ >= end_) return false;
      char e = *p_++;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF && end_ - p_ >= 6 && p_[0] == '\\' && p_[1] == 'u') {
            p_ += 2;
            uint32_t lo = 0;
            if (!hex4(lo)) return false;
            if (lo >= 0xDC00 && lo <= 0xDFFF) cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          append_utf8(out, cp);
          break;
        }
        default: return false;
      }
    }
    return false;
  }

  bool number(double& v) {
    skip_ws();
    auto r = std::from_chars(p_, end_, v);
    if (r.ec != std::errc()) return false;
    p_ = r.ptr;
    return true;
  }

  // Skips any JSON value (used for keys we do not need, e.g. the 341k-entry "words").
  bool skip_value() {
    skip_ws();
    if (p_ >= end_) return false;
    char c = *p_;
    if (c == '"') {
      ++p_;
      while (p_ < end_ && *p_ != '"') p_ += (*p_ == '\\') ? 2 : 1;
      if (p_ >= end_) return false;
      ++p_;
      return true;
    }
    if (c == '{' || c == '[') {
      int depth = 0;
      while (p_ < end_) {
        char d = *p_;
        if (d == '"') {
          if (!skip_value()) return false;
          continue;
        }
        ++p_;
        if (d == '{' || d == '[') ++depth;
        if (d == '}' || d == ']') {
          if (--depth == 0) return true;
        }
      }
      return false;
    }
    while (p_ < end_ && *p_ != ',' && *p_ != '}' && *p_ != ']' && *p_ != ' ' && *p_ != '\n') ++p_;
    return true;
  }

 private:
  bool hex4(uint32_t& v) {
    if (end_ - p_ < 4) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = *p_++;
      v <<= 4;
      if (c >= '0' && c <= '9') v |= uint32_t(c - '0');
      else if (c >= 'a' && c <= 'f') v |= uint32_t(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= uint32_t(c - 'A' + 10);
      else return false;
    }
    return true;
  }
  static void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xC0 | (cp >> 6));
      out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += char(0xE0 | (cp >> 12));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    } else {
      out += char(0xF0 | (cp >> 18));
      out += char(0x80 | ((cp >> 12) & 0x3F));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    }
  }

  const char* p_;
  const char* end_;
  const char* begin_;
};

struct MappedInput {
  const char* data = nullptr;
  size_t size = 0;
  ~MappedInput() {
    if (data != nullptr && size > 0) ::munmap(const_cast<char*>(data), size);
  }
};

}  // namespace

Result<ConvertReport> convert_wink_json(const std::filesystem::path& json_file, const std::filesystem::path& out_file,
                                        std::string_view model_name) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::string p = json_file.string();
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return not_found(fmt::format("no such file {}", p));
    return io_error(fmt::format("cannot open {}: {}", p, std::strerror(errno)));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || st.st_size == 0) {
    ::close(fd);
    return invalid_argument(fmt::format("{} is empty or unreadable", p));
  }
  MappedInput in;
  void* m = ::mmap(nullptr, size_t(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (m == MAP_FAILED) return io_error(fmt::format("cannot mmap {}: {}", p, std::strerror(errno)));
  in.data = static_cast<const char*>(m);
  in.size = size_t(st.st_size);
  ::madvise(m, in.size, MADV_SEQUENTIAL);

  JsonScanner js(in.data, in.data + in.size);
  auto malformed = [&](std::string_view what) {
    return invalid_argument(fmt::format("{}: not a wink embeddings file ({} near byte {})", p, what, js.offset()));
  };
  if (!js.consume('{')) return malformed("expected an object");

  int dims = 0;
  struct Entry {
    double rank;
    uint32_t order;
    std::string word;
    std::vector<float> vec;
  };
  std::vector<Entry> entries;
  bool saw_vectors = false;
  std::string key;
  std::vector<double> nums;
  uint32_t skipped = 0;
  while (true) {
    if (js.consume('}')) break;
    if (!js.string(key)) return malformed("expected a key");
    if (!js.consume(':')) return malformed("expected ':'");
    if (key == "dimensions") {
      double d = 0;
      if (!js.number(d) || d < 1 || d > kMaxDims) return malformed("bad \"dimensions\"");
      dims = int(d);
    } else if (key == "vectors") {
      saw_vectors = true;
      if (!js.consume('{')) return malformed("\"vectors\" is not an object");
      std::string word;
      bool first = true;
      while (true) {
        if (js.consume('}')) break;
        if (!first && !js.consume(',')) return malformed("expected ',' in \"vectors\"");
        first = false;
        if (js.consume('}')) break;
        if (!js.string(word)) return malformed("expected a word");
        if (!js.consume(':') || !js.consume('[')) return malformed("expected a vector");
        nums.clear();
        if (!js.consume(']')) {
          while (true) {
            double v = 0;
            if (!js.number(v)) return malformed("bad number");
            nums.push_back(v);
            if (js.consume(']')) break;
            if (!js.consume(',')) return malformed("expected ',' in a vector");
          }
        }
        if (dims == 0) dims = int(nums.size()) >= 3 ? int(nums.size()) - 2 : int(nums.size());
        if (int(nums.size()) < dims || word.empty()) {
          ++skipped;
          continue;
        }
        Entry e;
        e.order = uint32_t(entries.size());
        e.rank = int(nums.size()) >= dims + 2 ? nums[size_t(dims) + 1] : double(e.order);
        e.word = word;
        e.vec.assign(nums.begin(), nums.begin() + dims);
        entries.push_back(std::move(e));
      }
    } else {
      if (!js.skip_value()) return malformed("bad value");
    }
    if (js.consume('}')) break;
    if (!js.consume(',')) return malformed("expected ',' between keys");
  }
  if (!saw_vectors || entries.empty()) return malformed("no \"vectors\"");
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.rank != b.rank ? a.rank < b.rank : a.order < b.order;
  });
  WordVectorsWriter w(dims);
  for (const auto& e : entries) {
    if (!w.add(e.word, e.vec.data())) ++skipped;
  }
  entries.clear();
  entries.shrink_to_fit();
  MCD_TRY(w.write(out_file, model_name));
  ConvertReport r;
  r.words = w.size();
  r.dims = dims;
  r.skipped = skipped;
  r.min_cosine = w.min_cosine();
  r.mean_cosine = w.mean_cosine();
  std::error_code ec;
  r.out_bytes = std::filesystem::file_size(out_file, ec);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

}  // namespace mcdewey::embed
