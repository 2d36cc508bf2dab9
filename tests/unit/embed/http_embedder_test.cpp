// HttpEmbedder against a real HTTP server on a real socket: openai_stub_server.py, started by
// the fixture on a free port (--port 0) and stopped when the suite ends (or, should this
// process die, when its stdin pipe closes). The server's model name selects its behaviour.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "embed/http_embedder.h"

extern char** environ;

namespace mcdewey::embed {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double l2(const std::vector<float>& v) {
  double s = 0;
  for (float x : v) s += double(x) * x;
  return std::sqrt(s);
}

// A port nobody listens on: bind to port 0, note the port, close.
int unused_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) {
    port = ntohs(a.sin_port);
  }
  ::close(fd);
  return port;
}

// The stub server as a child process.
class StubServer {
 public:
  // nullptr and `why` when Python or the script is missing or the server does not start.
  static std::unique_ptr<StubServer> start(std::string& why) {
    const std::string python = MCDEWEY_PYTHON3;
    const std::string script = MCDEWEY_EMBED_STUB_SERVER;
    if (python.empty() || ::access(python.c_str(), X_OK) != 0) {
      why = "no Python 3 interpreter (CMake found '" + python + "')";
      return nullptr;
    }
    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0) return fail(why, "pipe");
    if (::pipe2(out, O_CLOEXEC) != 0) return fail(why, "pipe");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    std::vector<std::string> args = {python, "-u", script, "--port", "0", "--dims", "8", "--api-key", "sk-stub-key"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = 0;
    int rc = ::posix_spawn(&pid, python.c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    ::close(in[0]);
    ::close(out[1]);
    auto s = std::unique_ptr<StubServer>(new StubServer());
    s->stdin_ = in[1];
    s->stdout_ = out[0];
    if (rc != 0) return fail(why, std::string("posix_spawn: ") + std::strerror(rc));
    s->pid_ = pid;
    // Read "PORT <n>\n", at most 15 s.
    std::string line;
    const auto t0 = Clock::now();
    while (line.find('\n') == std::string::npos && seconds_since(t0) < 15) {
      pollfd p{s->stdout_, POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char buf[256];
      ssize_t n = ::read(s->stdout_, buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, size_t(n));
    }
    if (line.rfind("PORT ", 0) != 0) return fail(why, "the stub server did not start; it said: " + line);
    s->port_ = std::atoi(line.c_str() + 5);
    return s;
  }

  ~StubServer() {
    if (stdin_ >= 0) ::close(stdin_);  // EOF: the server exits by itself
    if (pid_ > 0) {
      const auto t0 = Clock::now();
      int status = 0;
      while (::waitpid(pid_, &status, WNOHANG) == 0) {
        if (seconds_since(t0) > 3) {
          ::kill(pid_, SIGKILL);
          ::waitpid(pid_, &status, 0);
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    if (stdout_ >= 0) ::close(stdout_);
  }

  int port() const { return port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

  // One HTTP/1.0 exchange on a raw socket (the server closes after it); the body, or "".
  std::string request(const std::string& method, const std::string& path) const {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(uint16_t(port_));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    std::string resp;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
      std::string req = method + " " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n";
      if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == ssize_t(req.size())) {
        char buf[4096];
        ssize_t n;
        while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) resp.append(buf, size_t(n));
      }
    }
    ::close(fd);
    size_t body = resp.find("\r\n\r\n");
    return body == std::string::npos ? "" : resp.substr(body + 4);
  }
  json stats() const { return json::parse(request("GET", "/stats"), nullptr, false); }
  void reset() const { request("POST", "/reset"); }

 private:
  StubServer() = default;
  static std::unique_ptr<StubServer> fail(std::string& why, std::string what) {
    why = std::move(what);
    return nullptr;
  }
  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  int port_ = 0;
};

class HttpEmbedderTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // A proxy configured on the machine must not intercept requests to the stub.
    ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);
    ::setenv("no_proxy", "127.0.0.1,localhost", 1);
    server_ = StubServer::start(why_).release();
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    if (server_ == nullptr) GTEST_SKIP() << "stub server unavailable: " << why_;
    server_->reset();
    ::unsetenv(kKeyVar);
  }

  // Options for model `model` on the stub: fast back-off, no key variable set.
  HttpEmbedderOptions options(const std::string& model) const {
    HttpEmbedderOptions o;
    o.base_url = server_->base_url();
    o.model = model;
    o.api_key_env = kKeyVar;
    o.timeout_seconds = 5;
    o.backoff_initial_seconds = 0.01;
    return o;
  }
  std::unique_ptr<HttpEmbedder> open(const HttpEmbedderOptions& o) {
    auto r = open_http_embedder(o);
    EXPECT_TRUE(r) << r.status().to_string();
    return r ? std::move(r).value() : nullptr;
  }
  int requests() const { return server_->stats().value("requests", -1); }

  static constexpr const char* kKeyVar = "MCDEWEY_TEST_EMBED_API_KEY";
  static inline StubServer* server_ = nullptr;
  static inline std::string why_;
};

std::vector<std::string> numbered_texts(int n) {
  std::vector<std::string> t;
  for (int i = 0; i < n; ++i) t.push_back("passage number " + std::to_string(i));
  return t;
}

TEST_F(HttpEmbedderTest, DiscoversDimsWithOneProbe) {
  auto e = open(options("stub:12"));
  ASSERT_TRUE(e);
  EXPECT_EQ(e->identity().name, "http:stub:12");
  EXPECT_EQ(e->identity().dims, 12);
  EXPECT_EQ(requests(), 1);
}

TEST_F(HttpEmbedderTest, GivenDimsMakeNoRequestAtOpen) {
  auto o = options("stub");
  o.dims = 8;
  auto e = open(o);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->identity().dims, 8);
  EXPECT_EQ(requests(), 0);
}

TEST_F(HttpEmbedderTest, VectorsAreNormalisedInInputOrderAndDeterministic) {
  auto e = open(options("stub"));
  ASSERT_TRUE(e);
  const std::vector<std::string> texts = {"alpha", "bravo", "charlie", "delta", "echo"};
  auto batch = e->embed(texts);
  ASSERT_TRUE(batch) << batch.status().to_string();
  ASSERT_EQ(batch->size(), texts.size());
  for (size_t i = 0; i < texts.size(); ++i) {
    const auto& v = (*batch)[i];
    ASSERT_EQ(v.size(), 8u);
    EXPECT_NEAR(l2(v), 1.0, 1e-5);
    // The stub returns the data in reverse order: only sorting by "index" gets this right.
    auto one = e->embed({texts[i]});
    ASSERT_TRUE(one);
    EXPECT_EQ(one->front(), v) << texts[i];
  }
  EXPECT_NE((*batch)[0], (*batch)[1]);
}

TEST_F(HttpEmbedderTest, SplitsIntoBatches) {
  auto o = options("stub");
  o.dims = 8;
  o.batch_size = 64;
  auto e = open(o);
  ASSERT_TRUE(e);
  const auto texts = numbered_texts(150);
  auto r = e->embed(texts);
  ASSERT_TRUE(r) << r.status().to_string();
  ASSERT_EQ(r->size(), 150u);
  json s = server_->stats();
  EXPECT_EQ(s["requests"], 3);
  EXPECT_EQ(s["batch_sizes"], json::array({64, 64, 22}));
  EXPECT_EQ(s["inputs"][2][21], "passage number 149");
  auto last = e->embed({texts[149]});
  ASSERT_TRUE(last);
  EXPECT_EQ(last->front(), r->back());
  auto none = e->embed({});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
  EXPECT_EQ(requests(), 4);  // the empty call sent nothing
}

TEST_F(HttpEmbedderTest, SendsTheApiKeyFromTheEnvironmentOnly) {
  auto o = options("unauthorized");
  o.dims = 8;
  auto e = open(o);
  ASSERT_TRUE(e);

  // No variable: no header, a 401 that is not retried and says why.
  auto r = e->embed({"x"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("HTTP 401: Incorrect API key provided."), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find(std::string("$") + kKeyVar + " is not set"), std::string::npos);
  json s = server_->stats();
  EXPECT_EQ(s["requests"], 1);
  EXPECT_TRUE(s["authorization"][0].is_null());

  // A wrong key: 401, and the key never appears in the message.
  ::setenv(kKeyVar, "sk-wrong-secret", 1);
  r = e->embed({"x"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().message().find("sk-wrong-secret"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find(std::string("comes from $") + kKeyVar), std::string::npos);

  // The right key, read at call time.
  ::setenv(kKeyVar, "sk-stub-key", 1);
  r = e->embed({"x"});
  ASSERT_TRUE(r) << r.status().to_string();
  s = server_->stats();
  EXPECT_EQ(s["requests"], 3);
  EXPECT_EQ(s["authorization"][2], "Bearer sk-stub-key");
  ::unsetenv(kKeyVar);

  // api_key_env = "": never an Authorization header, whatever the environment holds.
  ::setenv("OPENAI_API_KEY", "sk-should-not-be-sent", 1);
  auto o2 = options("stub");
  o2.dims = 8;
  o2.api_key_env = "";
  auto e2 = open(o2);
  ASSERT_TRUE(e2);
  ASSERT_TRUE(e2->embed({"y"}));
  ::unsetenv("OPENAI_API_KEY");
  EXPECT_TRUE(server_->stats()["authorization"][3].is_null());
}

TEST_F(HttpEmbedderTest, ServerErrorIsRetriedThenReportedOnOneLine) {
  auto o = options("error-500");
  o.dims = 8;
  o.max_retries = 2;
  auto e = open(o);
  ASSERT_TRUE(e);
  auto r = e->embed({"x"});
  ASSERT_FALSE(r);
  const std::string& m = r.status().message();
  EXPECT_EQ(r.status().code(), ErrorCode::kIo);
  EXPECT_NE(m.find(server_->base_url() + "/embeddings"), std::string::npos) << m;
  EXPECT_NE(m.find("after 3 attempts: HTTP 500: stub failure second line"), std::string::npos) << m;
  EXPECT_EQ(m.find('\n'), std::string::npos);
  EXPECT_EQ(requests(), 3);
}

TEST_F(HttpEmbedderTest, FlakyServerSucceedsAfterRetriesHonouringRetryAfter) {
  auto o = options("flaky:2");
  o.dims = 8;
  o.max_retries = 3;
  o.backoff_initial_seconds = 5;  // "Retry-After: 0" must win over this
  auto e = open(o);
  ASSERT_TRUE(e);
  const auto t0 = Clock::now();
  auto r = e->embed({"x", "y"});
  ASSERT_TRUE(r) << r.status().to_string();
  EXPECT_LT(seconds_since(t0), 2.0);
  EXPECT_EQ(r->size(), 2u);
  EXPECT_EQ(requests(), 3);
}

TEST_F(HttpEmbedderTest, RateLimitWaitsForRetryAfter) {
  auto o = options("rate-limit:1");
  o.dims = 8;
  auto e = open(o);
  ASSERT_TRUE(e);
  const auto t0 = Clock::now();
  auto r = e->embed({"x"});
  ASSERT_TRUE(r) << r.status().to_string();
  EXPECT_GE(seconds_since(t0), 0.9);  // back-off alone would be ~0.01 s
  EXPECT_EQ(requests(), 2);
}

TEST_F(HttpEmbedderTest, FewerRetriesThanFailuresIsAnError) {
  auto o = options("flaky:2");
  o.dims = 8;
  o.max_retries = 1;
  auto e = open(o);
  ASSERT_TRUE(e);
  auto r = e->embed({"x"});
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("after 2 attempts: HTTP 503: overloaded"), std::string::npos)
      << r.status().message();
}

TEST_F(HttpEmbedderTest, HangingServerTimesOut) {
  auto o = options("hang:10");
  o.dims = 8;
  o.timeout_seconds = 1;
  o.max_retries = 0;
  auto e = open(o);
  ASSERT_TRUE(e);
  const auto t0 = Clock::now();
  auto r = e->embed({"x"});
  const double took = seconds_since(t0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), ErrorCode::kIo);
  EXPECT_GE(took, 0.9);
  EXPECT_LT(took, 3.0);
  EXPECT_NE(r.status().message().find("no response within 1 s"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find(server_->base_url()), std::string::npos);
}

TEST_F(HttpEmbedderTest, QueriesUseTheirOwnShorterLimits) {
  // A search must not wait out the passage limits (30 s, 3 retries) on a hanging server.
  auto o = options("hang:10");
  o.dims = 8;
  o.timeout_seconds = 30;
  o.max_retries = 3;
  o.query_timeout_seconds = 0.5;
  o.query_max_retries = 0;
  auto e = open(o);
  ASSERT_TRUE(e);
  auto r = e->embed_query("x");
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("no response within 0.5 s"), std::string::npos) << r.status().message();
  EXPECT_EQ(requests(), 1);
}

TEST_F(HttpEmbedderTest, TimeoutsAreRetried) {
  auto o = options("hang:10");
  o.dims = 8;
  o.timeout_seconds = 0.5;
  o.max_retries = 1;
  auto e = open(o);
  ASSERT_TRUE(e);
  const auto t0 = Clock::now();
  auto r = e->embed({"x"});
  ASSERT_FALSE(r);
  EXPECT_LT(seconds_since(t0), 3.0);
  EXPECT_NE(r.status().message().find("after 2 attempts"), std::string::npos) << r.status().message();
  EXPECT_EQ(requests(), 2);
}

TEST_F(HttpEmbedderTest, MalformedResponsesAreCorruptAndNotRetried) {
  struct Case {
    const char* model;
    const char* says;
  };
  for (const Case& c : {Case{"bad-json", "not JSON (starts with \"this is not json {\")"},
                        Case{"wrong-count", "2 vectors for 3 inputs"},
                        Case{"wrong-dims", "vectors of 9 and 8 dimensions in one response"}}) {
    server_->reset();
    auto o = options(c.model);
    o.dims = 8;
    auto e = open(o);
    ASSERT_TRUE(e);
    auto r = e->embed({"a", "b", "c"});
    ASSERT_FALSE(r) << c.model;
    EXPECT_EQ(r.status().code(), ErrorCode::kCorrupt) << c.model;
    EXPECT_NE(r.status().message().find(c.says), std::string::npos) << r.status().message();
    EXPECT_EQ(requests(), 1) << c.model;
  }
}

TEST_F(HttpEmbedderTest, DimsDifferentFromTheEmbeddersAreConflict) {
  auto o = options("stub:16");
  o.dims = 8;
  auto e = open(o);
  ASSERT_TRUE(e);
  auto r = e->embed({"x"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), ErrorCode::kConflict);
  EXPECT_NE(r.status().message().find("16-dimensional vectors, expected 8"), std::string::npos) << r.status().message();
}

TEST_F(HttpEmbedderTest, ClientErrorsAreNotRetriedAndQuoteTheServer) {
  auto o = options("not-found");
  o.dims = 8;
  auto e = open(o);
  ASSERT_TRUE(e);
  auto r = e->embed({"x"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(r.status().message().find("HTTP 404: model \"not-found\" not found, try pulling it first"),
            std::string::npos)
      << r.status().message();

  o.model = "bad-request";  // TEI's {"error": "..."} shape
  auto e2 = open(o);
  ASSERT_TRUE(e2);
  r = e2->embed({"x"});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("HTTP 400: batch size 3 > maximum allowed batch size 2"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(requests(), 2);
}

TEST_F(HttpEmbedderTest, UnreachableServerNamesTheUrl) {
  const int port = unused_port();
  ASSERT_GT(port, 0);
  auto o = options("stub");
  o.base_url = "http://127.0.0.1:" + std::to_string(port) + "/v1";
  o.max_retries = 1;
  auto r = open_http_embedder(o);
  ASSERT_FALSE(r);
  const std::string& m = r.status().message();
  EXPECT_EQ(r.status().code(), ErrorCode::kIo);
  EXPECT_NE(m.find("http://127.0.0.1:" + std::to_string(port) + "/v1/embeddings"), std::string::npos) << m;
  EXPECT_NE(m.find("after 2 attempts"), std::string::npos) << m;
  EXPECT_NE(m.find("onnect"), std::string::npos) << m;  // curl: "Failed to connect ... Connection refused"
}

TEST_F(HttpEmbedderTest, RejectsBadOptionsWithoutNetwork) {
  auto expect_invalid = [&](HttpEmbedderOptions o, const std::string& says) {
    auto r = open_http_embedder(o);
    ASSERT_FALSE(r) << says;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(says), std::string::npos) << r.status().message();
  };
  auto o = options("stub");
  o.model = " ";
  expect_invalid(o, "no model name");
  o = options("stub");
  o.base_url = "ftp://127.0.0.1/v1";
  expect_invalid(o, "must start with http:// or https://");
  o.base_url = "";
  expect_invalid(o, "base_url is empty");
  o.base_url = "127.0.0.1:11434/v1";
  expect_invalid(o, "base_url");
  o = options("stub");
  o.batch_size = 0;
  expect_invalid(o, "batch_size");
  o = options("stub");
  o.timeout_seconds = 0;
  expect_invalid(o, "timeout_seconds");
  o = options("stub");
  o.max_retries = -1;
  expect_invalid(o, "max_retries");
  EXPECT_EQ(requests(), 0);
}

TEST_F(HttpEmbedderTest, ResolvesTheEndpointAndHidesCredentials) {
  auto o = options("stub");
  o.dims = 8;
  o.base_url = server_->base_url() + "/";
  auto e = open(o);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->endpoint(), server_->base_url() + "/embeddings");
  ASSERT_TRUE(e->embed({"x"}));

  o.base_url = server_->base_url() + "/embeddings";
  e = open(o);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->endpoint(), server_->base_url() + "/embeddings");

  o.base_url = "http://user:hunter2@127.0.0.1:" + std::to_string(server_->port()) + "/v1";
  e = open(o);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->endpoint().find("hunter2"), std::string::npos) << e->endpoint();
  ASSERT_TRUE(e->embed({"x"}));
  EXPECT_EQ(requests(), 2);
}

TEST_F(HttpEmbedderTest, EmptyAndInvalidUtf8TextsAreSentSafely) {
  auto o = options("stub");
  o.dims = 8;
  auto e = open(o);
  ASSERT_TRUE(e);
  // The stub, like OpenAI, answers 400 to an empty string or a body that is not UTF-8.
  auto r = e->embed({"", "bad \xff\xfe bytes", "ok"});
  ASSERT_TRUE(r) << r.status().to_string();
  ASSERT_EQ(r->size(), 3u);
  for (const auto& v : *r) EXPECT_NEAR(l2(v), 1.0, 1e-5);
  EXPECT_EQ(server_->stats()["inputs"][0], json::array({" ", "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes", "ok"}));
}

TEST_F(HttpEmbedderTest, QueryAndPassagePrefixes) {
  auto o = options("stub");
  o.dims = 8;
  o.query_prefix = "search_query: ";
  o.passage_prefix = "search_document: ";
  auto e = open(o);
  ASSERT_TRUE(e);
  auto q = e->embed_query("bgp timers");
  ASSERT_TRUE(q) << q.status().to_string();
  EXPECT_EQ(q->size(), 8u);
  ASSERT_TRUE(e->embed({"bgp timers"}));
  json s = server_->stats();
  EXPECT_EQ(s["inputs"][0], json::array({"search_query: bgp timers"}));
  EXPECT_EQ(s["inputs"][1], json::array({"search_document: bgp timers"}));
}

TEST_F(HttpEmbedderTest, ConcurrentCallsFromTwoThreads) {
  auto o = options("stub");
  o.dims = 8;
  o.batch_size = 8;
  auto e = open(o);
  ASSERT_TRUE(e);
  const auto texts = numbered_texts(40);
  auto expected = e->embed(texts);
  ASSERT_TRUE(expected);
  std::vector<int> failures(2, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 3; ++round) {
        auto r = e->embed(texts);
        if (!r || *r != *expected) ++failures[size_t(t)];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures, std::vector<int>({0, 0}));
  EXPECT_EQ(requests(), 7 * 5);  // 7 calls of 40 texts, in batches of 8
}

}  // namespace
}  // namespace mcdewey::embed
