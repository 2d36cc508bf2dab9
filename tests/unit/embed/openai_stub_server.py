#!/usr/bin/env python3
"""A small OpenAI-compatible embedding server for http_embedder_test.cpp (stdlib only).

    openai_stub_server.py --port 0 [--dims 8] [--api-key KEY]

Prints "PORT <n>" on stdout once it listens on 127.0.0.1, then serves until its stdin
reaches EOF (the test process holds the other end, so the server never outlives it) or it
gets SIGTERM.

POST /v1/embeddings  {"model": M, "input": [str, ...] | str, "encoding_format": "float"}
  Vectors are deterministic: sha256(model-independent text) -> dims numbers in [-2, 2),
  deliberately not normalised, and returned in reverse order with their "index" so that
  clients must sort. The model name selects a behaviour ("name" or "name:arg"):
    stub[:dims]      normal answers (dims defaults to --dims)
    error-500        always 500 with an OpenAI error whose message has two lines
    flaky[:n]        503 + "Retry-After: 0" for the first n requests (default 2), then normal
    rate-limit[:s]   429 + "Retry-After: s" (default 1) for the first request, then normal
    hang[:s]         sleeps s seconds (default 10) before answering normally
    bad-json         200 with a body that is not JSON
    wrong-count      200 with one vector fewer than inputs
    wrong-dims       200 where the last vector is one number longer
    unauthorized     401 unless "Authorization: Bearer <--api-key>"
    not-found        404 as Ollama says it for a missing model
    bad-request      400 in TEI's shape {"error": "...", "error_type": "..."}
  Any request whose input is not a non-empty list of non-empty strings gets a 400, as OpenAI
  answers it.
GET /stats   {"requests": n, "by_model": {model: n}, "authorization": [header or null, ...],
              "batch_sizes": [...], "inputs": [[...], ...]}
POST /reset  clears the statistics.
"""

import argparse
import hashlib
import json
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATS = {}


def reset_stats():
    with LOCK:
        STATS.clear()
        STATS.update({"requests": 0, "by_model": {}, "authorization": [], "batch_sizes": [], "inputs": []})


def vector(text, dims):
    out = []
    counter = 0
    while len(out) < dims:
        digest = hashlib.sha256(f"{counter}:{text}".encode("utf-8")).digest()
        for (word,) in struct.iter_unpack("<I", digest):
            out.append(word / 2**32 * 4.0 - 2.0)
        counter += 1
    return out[:dims]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
    disable_nagle_algorithm = True  # headers and body go out in two writes
    server_version = "openai-stub/1"

    def log_message(self, fmt, *args):  # keep test output quiet
        pass

    def send_json(self, status, obj, headers=None, raw=None):
        body = raw if raw is not None else json.dumps(obj).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/stats":
            with LOCK:
                self.send_json(200, STATS)
        else:
            self.send_json(404, {"error": {"message": f"no route GET {self.path}"}})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        if self.path == "/reset":
            reset_stats()
            self.send_json(200, {"ok": True})
            return
        if self.path != "/v1/embeddings":
            self.send_json(404, {"error": {"message": f"no route POST {self.path}"}})
            return
        try:
            req = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as e:
            self.send_json(400, {"error": {"message": f"invalid JSON body: {e}"}})
            return
        model = str(req.get("model", ""))
        inputs = req.get("input")
        if isinstance(inputs, str):
            inputs = [inputs]
        name, _, arg = model.partition(":")
        with LOCK:
            STATS["requests"] += 1
            STATS["by_model"][model] = STATS["by_model"].get(model, 0) + 1
            nth = STATS["by_model"][model]
            STATS["authorization"].append(self.headers.get("Authorization"))
            STATS["batch_sizes"].append(len(inputs) if isinstance(inputs, list) else -1)
            STATS["inputs"].append(inputs)
        if not isinstance(inputs, list) or not inputs or not all(isinstance(t, str) and t for t in inputs):
            self.send_json(400, {"error": {"message": "'$.input' is invalid.", "type": "invalid_request_error"}})
            return

        dims = self.server.dims
        if name == "error-500":
            self.send_json(500, {"error": {"message": "stub failure\nsecond line", "type": "server_error"}})
            return
        if name == "flaky" and nth <= int(arg or 2):
            self.send_json(503, {"error": {"message": "overloaded"}}, {"Retry-After": "0"})
            return
        if name == "rate-limit" and nth <= 1:
            self.send_json(429, {"error": {"message": "rate limit reached"}}, {"Retry-After": arg or "1"})
            return
        if name == "hang":
            time.sleep(float(arg or 10))
        if name == "unauthorized" and self.headers.get("Authorization") != f"Bearer {self.server.api_key}":
            self.send_json(401, {"error": {"message": "Incorrect API key provided.", "type": "invalid_request_error"}})
            return
        if name == "not-found":
            self.send_json(404, {"error": {"message": f'model "{model}" not found, try pulling it first'}})
            return
        if name == "bad-request":
            self.send_json(400, {"error": "batch size 3 > maximum allowed batch size 2", "error_type": "validation"})
            return
        if name == "bad-json":
            self.send_json(200, None, raw=b"this is not json {")
            return
        if name == "stub" and arg:
            dims = int(arg)

        data = [{"object": "embedding", "index": i, "embedding": vector(t, dims)} for i, t in enumerate(inputs)]
        if name == "wrong-count":
            data = data[:-1]
        if name == "wrong-dims":
            data[-1]["embedding"].append(0.5)
        data.reverse()
        self.send_json(200, {"object": "list", "data": data, "model": model,
                             "usage": {"prompt_tokens": 1, "total_tokens": 1}})


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--dims", type=int, default=8)
    ap.add_argument("--api-key", default="sk-stub-key")
    args = ap.parse_args()
    reset_stats()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.dims = args.dims
    server.api_key = args.api_key
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"PORT {server.server_address[1]}", flush=True)
    try:
        sys.stdin.read()  # EOF when the test process exits, however it exits
    except KeyboardInterrupt:
        pass
    server.server_close()


if __name__ == "__main__":
    main()
