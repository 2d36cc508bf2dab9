#include "embed/http_embedder.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <limits>
#include <optional>
#include <random>
#include <string_view>
#include <thread>
#include <utility>

#include <curl/curl.h>
#include <fmt/format.h>
// nlohmann-json is linked PRIVATE to this module only to read the server's responses (see
// src/embed/CMakeLists.txt); it never appears in a header, so the core stays JSON-free.
#include <nlohmann/json.hpp>

#include "common/log.h"
#include "common/strings.h"
#include "common/utf8.h"

namespace mcdewey::embed {

namespace {

using nlohmann::json;
using str::collapse_spaces;
using str::ends_with;
using str::starts_with;
using str::to_lower_ascii;
using str::trim;

// A response bigger than this is refused rather than buffered (64 inputs x 4096 dims of
// floats printed as text is ~5 MB).
constexpr size_t kMaxResponseBytes = size_t(256) << 20;
// Idle handles kept for reuse (each keeps its connection alive).
constexpr size_t kMaxPooledHandles = 8;
constexpr size_t kMaxBatch = 2048;
constexpr int kMaxDims = 65536;

void global_init() {
  // curl_global_init is not thread-safe; the process never calls curl_global_cleanup (other
  // threads may still be using curl at exit).
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// One line, valid UTF-8, at most max_bytes: for server messages inside our error messages.
std::string one_line(std::string_view s, size_t max_bytes = 300) {
  std::string clean = utf8::sanitize(s);
  for (char& c : clean) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  std::string out = collapse_spaces(trim(clean));
  if (out.size() > max_bytes) {
    out = std::string(utf8::truncate(out, max_bytes)) + "…";
  }
  return out;
}

// The server's explanation of an error response. OpenAI: {"error": {"message": ...}};
// Ollama's and TEI's native shape: {"error": "..."}; vLLM/FastAPI: {"message": ...} or
// {"detail": ...}. Anything else that is short plain text is used as it is; HTML is not.
std::string server_message(const std::string& body) {
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_discarded()) {
    auto text_of = [](const json& v) -> std::string {
      if (v.is_string()) return v.get<std::string>();
      if (v.is_object()) {
        auto m = v.find("message");
        if (m != v.end() && m->is_string()) return m->get<std::string>();
      }
      if (!v.is_null()) return v.dump(-1, ' ', false, json::error_handler_t::replace);
      return "";
    };
    if (j.is_object()) {
      for (const char* key : {"error", "message", "detail", "error_description"}) {
        auto it = j.find(key);
        if (it != j.end()) {
          std::string m = text_of(*it);
          if (!m.empty()) return one_line(m);
        }
      }
    }
    return one_line(j.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  std::string_view t = trim(body);
  if (t.empty() || t.front() == '<') return "";
  return one_line(t);
}

std::string curl_reason(CURLcode code, const char* errbuf) {
  if (errbuf != nullptr && errbuf[0] != '\0') return one_line(errbuf);
  return curl_easy_strerror(code);
}

// Failures worth another attempt: the server or the network may recover.
bool is_transient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

bool is_transient_status(long status) { return status == 429 || status == 408 || status >= 500; }

std::string format_seconds(double s) {
  return s == std::floor(s) ? fmt::format("{:.0f}", s) : fmt::format("{:.3g}", s);
}

struct Endpoint {
  std::string url;
  std::string display;
};

// base_url -> the /embeddings endpoint, plus a copy without credentials for messages.
Result<Endpoint> resolve_endpoint(std::string_view base_url) {
  std::string base(trim(base_url));
  if (base.empty()) return invalid_argument("http embedder: base_url is empty (e.g. http://127.0.0.1:11434/v1)");
  auto bad = [&](std::string_view why) {
    return invalid_argument(fmt::format("http embedder: base_url '{}' {} (expected e.g. http://127.0.0.1:11434/v1)",
                                        one_line(base, 200), why));
  };
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), &curl_url_cleanup);
  if (!u) return internal_error("http embedder: curl_url() failed");
  if (curl_url_set(u.get(), CURLUPART_URL, base.c_str(), 0) != CURLUE_OK) return bad("is not a valid URL");
  auto get = [&](CURLUPart part) -> std::optional<std::string> {
    char* v = nullptr;
    if (curl_url_get(u.get(), part, &v, 0) != CURLUE_OK || v == nullptr) return std::nullopt;
    std::string s(v);
    curl_free(v);
    return s;
  };
  auto scheme = get(CURLUPART_SCHEME);
  if (!scheme || (*scheme != "http" && *scheme != "https")) return bad("must start with http:// or https://");
  auto host = get(CURLUPART_HOST);
  if (!host || host->empty()) return bad("has no host");
  std::string path = get(CURLUPART_PATH).value_or("/");
  while (!path.empty() && path.back() == '/') path.pop_back();
  if (!ends_with(path, "/embeddings")) path += "/embeddings";
  if (curl_url_set(u.get(), CURLUPART_PATH, path.c_str(), 0) != CURLUE_OK) return bad("has an unusable path");
  curl_url_set(u.get(), CURLUPART_FRAGMENT, nullptr, 0);
  Endpoint e;
  auto url = get(CURLUPART_URL);
  if (!url) return bad("is not a valid URL");
  e.url = *url;
  curl_url_set(u.get(), CURLUPART_USER, nullptr, 0);
  curl_url_set(u.get(), CURLUPART_PASSWORD, nullptr, 0);
  curl_url_set(u.get(), CURLUPART_OPTIONS, nullptr, 0);
  e.display = get(CURLUPART_URL).value_or("<url>");
  return e;
}

// What one HTTP exchange produced.
struct Exchange {
  CURLcode code = CURLE_OK;
  std::string curl_error;
  long status = 0;
  std::string body;
  bool too_large = false;
  std::optional<double> retry_after;  // seconds, from a Retry-After header
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  const size_t bytes = size * n;
  if (ex->body.size() + bytes > kMaxResponseBytes) {
    ex->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  ex->body.append(data, bytes);
  return bytes;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* ex = static_cast<Exchange*>(user);
  const size_t bytes = size * n;
  std::string_view line(data, bytes);
  if (starts_with(line, "HTTP/")) {
    ex->retry_after.reset();  // a new response (e.g. after "100 Continue")
  } else if (line.size() > 12 && to_lower_ascii(line.substr(0, 12)) == "retry-after:") {
    std::string_view v = trim(line.substr(12));
    if (!v.empty() && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      ex->retry_after = v.size() > 7 ? 1e7 : std::stod(std::string(v));
    }
    // An HTTP date is left to CURLINFO_RETRY_AFTER after the transfer.
  }
  return bytes;
}

// One POST on `c` (reset first: that keeps its connection cache, so the connection is reused).
Exchange post(CURL* c, const std::string& url, const std::string& body, curl_slist* headers, long timeout_ms,
              long connect_ms, char* errbuf) {
  Exchange ex;
  errbuf[0] = '\0';
  curl_easy_reset(c);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // threads: no SIGALRM for DNS timeouts
#if LIBCURL_VERSION_NUM >= 0x075500
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
  curl_easy_setopt(c, CURLOPT_PROTOCOLS, long(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "mcdewey-http-embedder");
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &ex);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &ex);
  ex.code = curl_easy_perform(c);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, nullptr);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, nullptr);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &ex.status);
  if (!ex.retry_after) {
    curl_off_t ra = 0;
    if (curl_easy_getinfo(c, CURLINFO_RETRY_AFTER, &ra) == CURLE_OK && ra > 0) ex.retry_after = double(ra);
  }
  return ex;
}

// Sanitised request body.
std::string request_body(const std::string& model, const std::vector<std::string>& inputs) {
  json req = json::object();
  req["model"] = model;
  req["input"] = inputs;
  req["encoding_format"] = "float";
  return req.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Parses {"data": [{"embedding": [...], "index": i}, ...]} into n normalised vectors.
// `dims` = expected dims, 0 = any (all vectors must still agree).
Result<std::vector<std::vector<float>>> parse_response(const std::string& body, size_t n, int dims,
                                                       const std::string& where) {
  auto bad = [&](std::string_view why) { return corrupt(fmt::format("{} returned a malformed response: {}", where, why)); };
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    std::string head = one_line(body, 80);
    return bad(head.empty() ? std::string("an empty body") : fmt::format("not JSON (starts with \"{}\")", head));
  }
  if (!j.is_object()) return bad("not a JSON object");
  auto data = j.find("data");
  if (data == j.end() || !data->is_array()) return bad("no \"data\" array");
  if (data->size() != n) return bad(fmt::format("{} vectors for {} inputs", data->size(), n));
  // Shape and dims first, so a response that disagrees with itself is kCorrupt and one that
  // disagrees only with the embedder's dims is kConflict.
  size_t got_dims = 0;
  for (size_t i = 0; i < n; ++i) {
    const json& item = (*data)[i];
    if (!item.is_object()) return bad(fmt::format("data[{}] is not an object", i));
    auto emb = item.find("embedding");
    if (emb == item.end() || !emb->is_array()) {
      return bad(fmt::format("data[{}] has no \"embedding\" array of numbers (is encoding_format \"float\" supported?)", i));
    }
    if (emb->empty()) return bad(fmt::format("data[{}] has an empty embedding", i));
    if (got_dims == 0) got_dims = emb->size();
    if (emb->size() != got_dims) {
      return bad(fmt::format("vectors of {} and {} dimensions in one response", got_dims, emb->size()));
    }
  }
  if (got_dims > size_t(kMaxDims)) return bad(fmt::format("{} dimensions", got_dims));
  if (dims > 0 && got_dims != size_t(dims)) {
    return Status(ErrorCode::kConflict, fmt::format("{} returned {}-dimensional vectors, expected {} (the embedder's dims)",
                                                    where, got_dims, dims));
  }
  std::vector<std::vector<float>> out(n);
  std::vector<char> seen(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const json& item = (*data)[i];
    size_t index = i;
    auto idx = item.find("index");
    if (idx != item.end()) {
      if (!idx->is_number_integer() || idx->get<long long>() < 0 || idx->get<long long>() >= (long long)n) {
        return bad(fmt::format("data[{}] has an index outside 0..{}", i, n - 1));
      }
      index = size_t(idx->get<long long>());
    }
    if (seen[index]) return bad(fmt::format("index {} appears twice", index));
    seen[index] = 1;
    const json& emb = *item.find("embedding");
    std::vector<float>& v = out[index];
    v.resize(got_dims);
    double sum = 0;
    for (size_t k = 0; k < got_dims; ++k) {
      const json& x = emb[k];
      if (!x.is_number()) return bad(fmt::format("data[{}].embedding[{}] is not a number", i, k));
      const float f = float(x.get<double>());
      if (!std::isfinite(f)) return bad(fmt::format("data[{}].embedding[{}] is not a finite float", i, k));
      v[k] = f;
      sum += double(f) * double(f);
    }
    // embedder.h: every vector is L2-normalised (an all-zero vector stays zero).
    if (sum > 0) {
      const float inv = float(1.0 / std::sqrt(sum));
      for (float& x : v) x *= inv;
    }
  }
  return out;
}

double jittered_backoff(const HttpEmbedderOptions& o, int retry) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> jitter(0.5, 1.0);
  double d = o.backoff_initial_seconds * std::ldexp(1.0, std::min(retry - 1, 30));
  return std::min(d * jitter(rng), o.backoff_max_seconds);
}

}  // namespace

struct HttpEmbedder::Handle {
  CURL* curl = nullptr;
  Handle() : curl(curl_easy_init()) {}
  ~Handle() {
    if (curl != nullptr) curl_easy_cleanup(curl);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
};

HttpEmbedder::HttpEmbedder(HttpEmbedderOptions options, std::string url, std::string display_url)
    : options_(std::move(options)), url_(std::move(url)), display_url_(std::move(display_url)), dims_(options_.dims) {}

HttpEmbedder::~HttpEmbedder() = default;

EmbedderIdentity HttpEmbedder::identity() const { return {"http:" + options_.model, dims_}; }

std::unique_ptr<HttpEmbedder::Handle> HttpEmbedder::acquire() {
  {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (!pool_.empty()) {
      auto h = std::move(pool_.back());
      pool_.pop_back();
      return h;
    }
  }
  auto h = std::make_unique<Handle>();
  if (h->curl == nullptr) return nullptr;
  return h;
}

void HttpEmbedder::release(std::unique_ptr<Handle> handle) {
  std::lock_guard<std::mutex> lock(pool_mutex_);
  if (pool_.size() < kMaxPooledHandles) pool_.push_back(std::move(handle));
}

Result<std::vector<std::vector<float>>> HttpEmbedder::embed(const std::vector<std::string>& texts) {
  return embed_with_prefix(texts, /*query=*/false, options_.passage_prefix);
}

Result<std::vector<float>> HttpEmbedder::embed_query(const std::string& text) {
  auto r = embed_with_prefix(std::vector<std::string>{text}, /*query=*/true, options_.query_prefix);
  if (!r) return r.status();
  if (r->size() != 1) return internal_error("http embedder returned no vector for the query");
  return std::move(r->front());
}

Result<std::vector<std::vector<float>>> HttpEmbedder::embed_with_prefix(const std::vector<std::string>& texts, bool query,
                                                                        const std::string& prefix) {
  std::vector<std::vector<float>> out;
  if (texts.empty()) return out;
  out.reserve(texts.size());

  std::unique_ptr<Handle> handle = acquire();
  if (!handle) return internal_error("http embedder: curl_easy_init() failed");
  struct Releaser {
    HttpEmbedder* self;
    std::unique_ptr<Handle>& h;
    ~Releaser() {
      if (h) self->release(std::move(h));
    }
  } releaser{this, handle};

  // The key is read per call and lives only in this header list.
  struct SlistFree {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
  };
  std::unique_ptr<curl_slist, SlistFree> headers;
  auto add_header = [&](const std::string& h) {
    curl_slist* l = curl_slist_append(headers.get(), h.c_str());
    if (l != nullptr) {
      (void)headers.release();
      headers.reset(l);
    }
    return l != nullptr;
  };
  bool ok = add_header("Content-Type: application/json") && add_header("Accept: application/json") &&
            add_header("Expect:");  // no "100-continue" round trip for large bodies
  const char* key = options_.api_key_env.empty() ? nullptr : std::getenv(options_.api_key_env.c_str());
  const bool has_key = key != nullptr && key[0] != '\0';
  if (has_key) ok = ok && add_header(std::string("Authorization: Bearer ") + key);
  if (!ok) return internal_error("http embedder: out of memory building request headers");

  const std::string where = fmt::format("embedding server {}", display_url_);
  const double timeout_s = query ? options_.query_timeout_seconds : options_.timeout_seconds;
  const int max_retries = query ? options_.query_max_retries : options_.max_retries;
  const long timeout_ms = long(std::ceil(timeout_s * 1000.0));
  const long connect_ms = std::min(timeout_ms, 10000L);

  for (size_t first = 0; first < texts.size(); first += options_.batch_size) {
    const size_t n = std::min(options_.batch_size, texts.size() - first);
    std::vector<std::string> inputs;
    inputs.reserve(n);
    for (size_t i = first; i < first + n; ++i) {
      std::string t = utf8::sanitize(prefix.empty() ? texts[i] : prefix + texts[i]);
      if (t.empty()) t.push_back(' ');  // OpenAI rejects empty strings
      inputs.push_back(std::move(t));
    }
    const std::string body = request_body(options_.model, inputs);

    const int attempts = 1 + max_retries;
    std::string last_reason;
    ErrorCode last_code = ErrorCode::kIo;
    bool done = false;
    for (int attempt = 1; attempt <= attempts && !done; ++attempt) {
      char errbuf[CURL_ERROR_SIZE];
      Exchange ex = post(handle->curl, url_, body, headers.get(), timeout_ms, connect_ms, errbuf);
      bool transient = false;
      if (ex.too_large) {
        return corrupt(fmt::format("{} sent a response larger than {} MiB", where, kMaxResponseBytes >> 20));
      } else if (ex.code != CURLE_OK) {
        last_code = ErrorCode::kIo;
        last_reason = ex.code == CURLE_OPERATION_TIMEDOUT
                          ? fmt::format("no response within {} s ({})", format_seconds(timeout_s),
                                        curl_reason(ex.code, errbuf))
                          : curl_reason(ex.code, errbuf);
        transient = is_transient(ex.code);
      } else if (ex.status >= 200 && ex.status < 300) {
        // Exceptions stop here (STYLE.md §2.8); the parser itself is non-throwing.
        Result<std::vector<std::vector<float>>> vecs = internal_error("unreachable");
        try {
          vecs = parse_response(ex.body, n, dims_, where);
        } catch (const std::exception& e) {
          return internal_error(fmt::format("{}: reading the response failed: {}", where, e.what()));
        }
        if (!vecs) return vecs.status();
        if (dims_ == 0 && !vecs->empty()) dims_ = int(vecs->front().size());  // only during the open() probe
        for (auto& v : *vecs) out.push_back(std::move(v));
        done = true;
        continue;
      } else {
        std::string msg = server_message(ex.body);
        last_reason = msg.empty() ? fmt::format("HTTP {}", ex.status) : fmt::format("HTTP {}: {}", ex.status, msg);
        transient = is_transient_status(ex.status);
        last_code = transient ? ErrorCode::kIo : ex.status == 404 ? ErrorCode::kNotFound : ErrorCode::kInvalidArgument;
        if (ex.status == 401 || ex.status == 403) {
          last_reason += options_.api_key_env.empty() ? " (no API key is sent: api_key_env is empty)"
                         : has_key ? fmt::format(" (the API key comes from ${})", options_.api_key_env)
                                   : fmt::format(" (no API key sent: ${} is not set)", options_.api_key_env);
        } else if (ex.status == 404) {
          last_reason += fmt::format(" (check the base URL and the model name \"{}\")", one_line(options_.model, 100));
        }
      }
      if (!transient) {
        return Status(last_code, fmt::format("{} failed: {}", where, last_reason));
      }
      if (attempt < attempts) {
        double delay = ex.retry_after ? std::min(*ex.retry_after, options_.backoff_max_seconds)
                                      : jittered_backoff(options_, attempt);
        log::warn("http embedder: {}: {}; retry {} of {} in {} s", display_url_, last_reason, attempt,
                  max_retries, format_seconds(std::round(delay * 1000) / 1000));
        if (delay > 0) std::this_thread::sleep_for(std::chrono::duration<double>(delay));
      }
    }
    if (!done) {
      return Status(last_code, attempts > 1 ? fmt::format("{} failed after {} attempts: {}", where, attempts, last_reason)
                                            : fmt::format("{} failed: {}", where, last_reason));
    }
  }
  return out;
}

Result<std::unique_ptr<HttpEmbedder>> open_http_embedder(const HttpEmbedderOptions& options) {
  global_init();
  HttpEmbedderOptions o = options;
  o.model = std::string(str::trim(o.model));
  if (o.model.empty()) return invalid_argument("http embedder: no model name given (e.g. nomic-embed-text)");
  if (o.batch_size < 1 || o.batch_size > kMaxBatch) {
    return invalid_argument(fmt::format("http embedder: batch_size must be 1..{}, not {}", kMaxBatch, o.batch_size));
  }
  if (!std::isfinite(o.timeout_seconds) || o.timeout_seconds <= 0 || o.timeout_seconds > 86400) {
    return invalid_argument("http embedder: timeout_seconds must be > 0 and at most 86400");
  }
  if (!std::isfinite(o.query_timeout_seconds) || o.query_timeout_seconds <= 0 || o.query_timeout_seconds > 86400) {
    return invalid_argument("http embedder: query_timeout_seconds must be > 0 and at most 86400");
  }
  if (o.query_max_retries < 0 || o.query_max_retries > 100) {
    return invalid_argument(fmt::format("http embedder: query_max_retries must be 0..100, not {}", o.query_max_retries));
  }
  if (o.max_retries < 0 || o.max_retries > 100) {
    return invalid_argument(fmt::format("http embedder: max_retries must be 0..100, not {}", o.max_retries));
  }
  if (!std::isfinite(o.backoff_initial_seconds) || o.backoff_initial_seconds < 0 ||
      !std::isfinite(o.backoff_max_seconds) || o.backoff_max_seconds < 0) {
    return invalid_argument("http embedder: back-off seconds must be finite and >= 0");
  }
  if (o.dims < 0 || o.dims > kMaxDims) {
    return invalid_argument(fmt::format("http embedder: dims must be 0 (ask the server) or 1..{}", kMaxDims));
  }
  auto ep = resolve_endpoint(o.base_url);
  if (!ep) return ep.status();

  std::unique_ptr<HttpEmbedder> e(new HttpEmbedder(std::move(o), std::move(ep->url), std::move(ep->display)));
  if (e->dims_ == 0) {
    // Nothing else can see the embedder yet, so setting dims_ here is race-free.
    auto probe = e->embed(std::vector<std::string>{"dimension probe"});
    if (!probe) {
      return Status(probe.status().code(),
                    fmt::format("cannot learn the vector size of model \"{}\": {}", e->options_.model,
                                probe.status().message()));
    }
    if (e->dims_ <= 0) return corrupt(fmt::format("{} returned an empty vector", e->display_url_));
  }
  return e;
}

}  // namespace mcdewey::embed
