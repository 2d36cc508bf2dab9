// An embedder that calls an OpenAI-compatible HTTP endpoint: POST {base_url}/embeddings with
// {"model": ..., "input": [texts], "encoding_format": "float"}, the protocol Ollama, llama.cpp's
// server, Hugging Face TEI, vLLM and OpenAI all speak.
//
//   base_url                          endpoint called
//   http://127.0.0.1:11434/v1         http://127.0.0.1:11434/v1/embeddings   (Ollama)
//   http://127.0.0.1:8080/v1/         http://127.0.0.1:8080/v1/embeddings    (llama.cpp, TEI)
//   https://api.openai.com/v1         https://api.openai.com/v1/embeddings
//   http://host:8000/v1/embeddings    used as given (a URL already ending in /embeddings)
//
// base_url is what OpenAI SDKs call base_url: everything before "/embeddings", normally ending
// in "/v1". Nothing is guessed beyond that ("/v1" is not appended), because servers mount the
// API under different prefixes.
//
// Behaviour:
//  * Texts are sent in batches of batch_size, one request per batch, batches in order.
//    Invalid UTF-8 is replaced with U+FFFD and an empty text is sent as " " (OpenAI rejects
//    empty inputs), so every text gets a vector.
//  * The response's vectors are put in input order by their "index", checked (count, dims,
//    finite numbers) and L2-normalised (embedder.h). A malformed response is kCorrupt; a
//    vector whose dims differ from identity().dims is kConflict (the server's model changed).
//  * 429, 5xx, connection failures and timeouts are retried up to max_retries times with
//    exponential back-off and jitter; a Retry-After header (seconds or an HTTP date) on a 429
//    or 503 is honoured instead, capped at backoff_max_seconds. Other 4xx are not retried:
//    404 is kNotFound (wrong URL or unknown model), the rest kInvalidArgument. Exhausted
//    retries are kIo. Every error is one line naming the endpoint, the HTTP status and the
//    server's own message (OpenAI's {"error":{"message":...}} and the common variants).
//  * The API key is read from the environment variable api_key_env at every embed() call and
//    sent as "Authorization: Bearer <key>" when the variable is set and non-empty. The key is
//    never stored in the embedder, logged or put into an error message; neither are
//    credentials written into base_url (user:password@ is redacted in messages).
//  * embed() and embed_query() may be called from several threads at once. Each call uses
//    its own curl handle, taken from a small pool so connections are kept alive between calls.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "embed/embedder.h"

namespace mcdewey::embed {

struct HttpEmbedderOptions {
  // Everything before "/embeddings", e.g. "http://127.0.0.1:11434/v1" (see the table above).
  // Scheme http or https. Required.
  std::string base_url;
  // The server's model name, e.g. "nomic-embed-text". Required.
  std::string model;
  // Name of the environment variable holding the API key (not the key itself). Empty: never
  // send an Authorization header.
  std::string api_key_env = "OPENAI_API_KEY";
  // Vector dimensions. 0 = learn them from the server: open_http_embedder() embeds one short
  // probe text. When given, no request is made at open and every response is checked.
  int dims = 0;
  // Texts per request (1..2048). OpenAI accepts up to 2048 inputs per request; Hugging Face TEI
  // refuses more than its --max-client-batch-size (default 32) with a 422.
  size_t batch_size = 64;
  // Per-request limit in seconds for the whole exchange (connect, send, wait, receive);
  // connecting alone is limited to min(timeout_seconds, 10).
  double timeout_seconds = 30.0;
  // Retries after the first attempt of a request (so at most 1 + max_retries attempts).
  int max_retries = 3;
  // The same two for embed_query(): a person (or agent) waits for a search, so a down or
  // hanging server must fail it fast, and `auto` searches then answer lexically.
  double query_timeout_seconds = 5.0;
  int query_max_retries = 1;
  // Back-off before retry n (n = 1, 2, ...): backoff_initial_seconds * 2^(n-1), times a random
  // factor in [0.5, 1), at most backoff_max_seconds. A Retry-After header replaces it.
  double backoff_initial_seconds = 0.5;
  double backoff_max_seconds = 30.0;
  // Prepended to every query (embed_query) and every passage (embed) respectively, for
  // instruction-tuned models: nomic-embed-text wants "search_query: " / "search_document: ",
  // e5 "query: " / "passage: ".
  std::string query_prefix;
  std::string passage_prefix;
};

class HttpEmbedder final : public Embedder {
 public:
  ~HttpEmbedder() override;
  HttpEmbedder(const HttpEmbedder&) = delete;
  HttpEmbedder& operator=(const HttpEmbedder&) = delete;

  // name "http:<model>", e.g. "http:nomic-embed-text".
  EmbedderIdentity identity() const override;
  Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) override;
  Result<std::vector<float>> embed_query(const std::string& text) override;

  const HttpEmbedderOptions& options() const { return options_; }
  // The endpoint requests go to, credentials redacted: "http://127.0.0.1:11434/v1/embeddings".
  const std::string& endpoint() const { return display_url_; }

  struct Handle;  // a pooled curl easy handle; defined in http_embedder.cpp

 private:
  friend Result<std::unique_ptr<HttpEmbedder>> open_http_embedder(const HttpEmbedderOptions& options);
  HttpEmbedder(HttpEmbedderOptions options, std::string url, std::string display_url);

  Result<std::vector<std::vector<float>>> embed_with_prefix(const std::vector<std::string>& texts, bool query,
                                                            const std::string& prefix);
  std::unique_ptr<Handle> acquire();
  void release(std::unique_ptr<Handle> handle);

  HttpEmbedderOptions options_;
  std::string url_;          // the endpoint, as given (may carry credentials)
  std::string display_url_;  // the endpoint for messages
  int dims_ = 0;             // fixed once open_http_embedder() returns
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Handle>> pool_;
};

// Validates the options (kInvalidArgument: empty model, a URL that is not http(s)://host...,
// batch_size, timeout or retry settings out of range) and, when options.dims == 0, asks the
// server once for the dimensions; an unreachable or failing server is then an error naming
// the endpoint and curl's or the server's reason (codes as for embed()).
Result<std::unique_ptr<HttpEmbedder>> open_http_embedder(const HttpEmbedderOptions& options);

}  // namespace mcdewey::embed
