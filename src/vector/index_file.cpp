#include "vector/index_file.h"

#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include "common/hash.h"

namespace mcdewey::vector {

namespace stdfs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'M', 'C', 'D', 'V', 'E', 'C', '0', '1'};
constexpr uint32_t kMaxName = 4096;

template <typename T>
void put(std::string& out, const T& v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

void put_str(std::string& out, const std::string& s) {
  put(out, static_cast<uint32_t>(s.size()));
  out += s;
}

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  template <typename T>
  bool get(T* v) {
    if (data_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(v, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool get_str(std::string* s) {
    uint32_t n = 0;
    if (!get(&n) || n > kMaxName || data_.size() - pos_ < n) return false;
    s->assign(data_.data() + pos_, n);
    pos_ += n;
    return true;
  }
  size_t pos() const { return pos_; }
  std::string_view rest() const { return data_.substr(pos_); }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

Result<std::string> read_all(const stdfs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found(fmt::format("no index file {}", path.string()));
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return io_error(fmt::format("cannot read {}", path.string()));
  return data;
}

Status write_file(const stdfs::path& path, std::string_view data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(data.data(), static_cast<std::streamsize>(data.size()));
  out.close();
  if (!out) return io_error(fmt::format("cannot write {}", path.string()));
  return Status::ok();
}

stdfs::path graph_path(const stdfs::path& path) { return stdfs::path(path.string() + ".hnsw"); }

}  // namespace

std::string model_file_stem(const std::string& model) {
  // A leading "m" keeps the name from being empty or hidden (".x").
  std::string out = model.empty() || model[0] == '.' ? "m" : "";
  for (char c : model) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '.' || c == '_';
    out += ok ? c : '_';
  }
  return out;
}

Status save_index_file(const stdfs::path& path, const IndexFileInfo& info, const ExactIndex& exact,
                       const HnswIndex* graph) {
  std::error_code ec;
  stdfs::create_directories(path.parent_path(), ec);
  if (ec) return io_error(fmt::format("cannot create {}: {}", path.parent_path().string(), ec.message()));

  std::string graph_bytes;
  const stdfs::path gpath = graph_path(path);
  const stdfs::path gtmp = stdfs::path(gpath.string() + ".tmp");
  if (graph) {
    MCD_TRY(graph->save_graph(gtmp.string()));
    auto g = read_all(gtmp);
    if (!g) return g.status();
    graph_bytes = std::move(g.value());
  }

  std::string payload;
  const auto& ids = exact.ids();
  payload.append(reinterpret_cast<const char*>(ids.data()), ids.size() * sizeof(int64_t));
  payload.append(reinterpret_cast<const char*>(exact.scales().data()), exact.scales().size() * sizeof(float));
  payload.append(reinterpret_cast<const char*>(exact.codes().data()), exact.codes().size());

  std::string out(kMagic, sizeof kMagic);
  put(out, kIndexFormatVersion);
  put(out, static_cast<uint32_t>(exact.dims()));
  put(out, static_cast<uint64_t>(exact.size()));
  put_str(out, info.model);
  put_str(out, info.signature);
  put(out, static_cast<uint8_t>(graph ? 1 : 0));
  put(out, static_cast<uint64_t>(graph_bytes.size()));
  put(out, hash64(graph_bytes));
  put(out, hash64(payload));
  out += payload;

  const stdfs::path tmp = stdfs::path(path.string() + ".tmp");
  MCD_TRY(write_file(tmp, out));
  // The graph first: a crash between the renames leaves a header whose graph hash does not
  // match, which reads as corrupt and is rebuilt.
  if (graph) {
    stdfs::rename(gtmp, gpath, ec);
    if (ec) return io_error(fmt::format("cannot write {}: {}", gpath.string(), ec.message()));
  } else {
    stdfs::remove(gpath, ec);
  }
  stdfs::rename(tmp, path, ec);
  if (ec) return io_error(fmt::format("cannot write {}: {}", path.string(), ec.message()));
  return Status::ok();
}

Result<LoadedIndex> load_index_file(const stdfs::path& path, const IndexFileInfo& expected,
                                    const HnswParams& params) {
  auto data = read_all(path);
  if (!data) return data.status();
  const std::string name = path.string();
  Reader r(*data);
  char magic[8];
  for (char& c : magic) {
    if (!r.get(&c)) return corrupt(fmt::format("{} is not a McDewey vector index", name));
  }
  if (std::memcmp(magic, kMagic, sizeof kMagic) != 0) return corrupt(fmt::format("{} is not a McDewey vector index", name));
  uint32_t version = 0, dims = 0;
  uint64_t count = 0, graph_size = 0, graph_hash = 0, payload_hash = 0;
  uint8_t has_graph = 0;
  LoadedIndex out;
  if (!r.get(&version)) return corrupt(fmt::format("{}: truncated header", name));
  if (version != kIndexFormatVersion) {
    return unsupported(fmt::format("{}: index format {}, this build reads {}", name, version, kIndexFormatVersion));
  }
  if (!r.get(&dims) || !r.get(&count) || !r.get_str(&out.info.model) || !r.get_str(&out.info.signature) ||
      !r.get(&has_graph) || !r.get(&graph_size) || !r.get(&graph_hash) || !r.get(&payload_hash)) {
    return corrupt(fmt::format("{}: truncated header", name));
  }
  out.info.dims = static_cast<int>(dims);
  out.info.count = count;
  if (dims == 0 || dims > 65536) return corrupt(fmt::format("{}: bad dimension {}", name, dims));
  const std::string_view payload = r.rest();
  const uint64_t want = count * (sizeof(int64_t) + sizeof(float) + dims);
  if (count > (uint64_t(1) << 40) || payload.size() != want) return corrupt(fmt::format("{}: truncated payload", name));
  if (hash64(payload) != payload_hash) return corrupt(fmt::format("{}: checksum mismatch", name));
  if (out.info.model != expected.model || out.info.dims != expected.dims || out.info.signature != expected.signature) {
    return conflict(fmt::format("{} is stale (built for {} / {} dims / {})", name, out.info.model, out.info.dims,
                                out.info.signature));
  }

  std::vector<int64_t> ids(count);
  std::vector<float> scales(count);
  std::vector<int8_t> codes(count * dims);
  const char* p = payload.data();
  std::memcpy(ids.data(), p, count * sizeof(int64_t));
  p += count * sizeof(int64_t);
  std::memcpy(scales.data(), p, count * sizeof(float));
  p += count * sizeof(float);
  std::memcpy(codes.data(), p, count * dims);
  auto exact = ExactIndex::from_codes(static_cast<int>(dims), std::move(ids), std::move(scales), std::move(codes));
  if (!exact) return corrupt(fmt::format("{}: {}", name, exact.status().message()));
  out.exact = std::shared_ptr<const ExactIndex>(std::move(exact.value()));
  out.index = out.exact;
  if (has_graph) {
    const stdfs::path gpath = graph_path(path);
    auto g = read_all(gpath);
    if (!g) return corrupt(fmt::format("{}: its graph {} is missing", name, gpath.string()));
    if (g->size() != graph_size || hash64(*g) != graph_hash) {
      return corrupt(fmt::format("{} does not belong to {}", gpath.string(), name));
    }
    auto h = HnswIndex::load(out.exact, gpath.string(), params);
    if (!h) return h.status();
    out.index = std::shared_ptr<const VectorIndex>(std::move(h.value()));
  }
  return out;
}

}  // namespace mcdewey::vector
