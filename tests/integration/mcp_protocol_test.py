#!/usr/bin/env python3
"""Protocol-abuse tests of McDewey's MCP server (the real binary): /mcp over HTTP and
`mcdewey mcp --stdio`. Bad JSON, wrong headers, wrong protocol versions, huge bodies,
unknown sessions and cursors, batches, Origin/Host and token checks, concurrent clients.
None of it may harm the server: every test ends by checking it still answers.

Standard library only. Each class ingests the fixture library into its own temp dir and
starts `mcdewey serve --port 0`, reading the printed URL.
"""
import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import mcdewey_proc

BINARY = None
DATA = None

INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                   "clientInfo": {"name": "abuse-test", "version": "1"}}}


def ingest_fixture(tmp):
    return mcdewey_proc.ingest_copy(BINARY, os.path.join(DATA, "library"), tmp, "data")


class Server(mcdewey_proc.Server):
    """`mcdewey serve --port 0` with extra flags, spoken to as an MCP client."""

    def __init__(self, data, *flags):
        super().__init__(BINARY, data, *flags)

    def request(self, method="POST", body=None, headers=None, path="/mcp"):
        """Returns (status, headers dict lower-cased, body bytes)."""
        h = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
        h.update(headers or {})
        h = {k: v for k, v in h.items() if v is not None}
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        return self.send(method, path, body, h)

    def rpc(self, message, headers=None):
        status, hdrs, body = self.request(body=message, headers=headers)
        return status, hdrs, (json.loads(body) if body else None)


class HttpProtocolTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mcdewey-mcp-abuse-")
        cls.data = ingest_fixture(cls.tmp)
        cls.srv = Server(cls.data)

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def tearDown(self):
        # Whatever a test sent, the server still answers.
        self.assertIsNone(self.srv.proc.poll(), "server died")
        status, _, body = self.srv.rpc({"jsonrpc": "2.0", "id": 99, "method": "ping"})
        self.assertEqual((status, body["result"]), (200, {}))

    def session(self, version="2025-11-25"):
        init = json.loads(json.dumps(INIT))
        init["params"]["protocolVersion"] = version
        status, hdrs, body = self.srv.rpc(init)
        self.assertEqual(status, 200)
        return hdrs["mcp-session-id"], body

    # ---- transport ----
    def test_initialize_negotiates_versions(self):
        for v in ("2025-11-25", "2025-06-18", "2025-03-26"):
            sid, body = self.session(v)
            self.assertEqual(body["result"]["protocolVersion"], v)
            self.assertRegex(sid, r"^[0-9a-f]{32}$")
        _, body = self.session("2024-01-01")  # unknown: we answer with our newest
        self.assertEqual(body["result"]["protocolVersion"], "2025-11-25")
        self.assertIn("cite", body["result"]["instructions"])

    def test_get_is_405_and_notifications_202(self):
        status, hdrs, _ = self.srv.request("GET", headers={"Accept": "text/event-stream"})
        self.assertEqual(status, 405)
        self.assertIn("POST", hdrs["allow"])
        status, hdrs, body = self.srv.request(body={"jsonrpc": "2.0", "method": "notifications/initialized"})
        self.assertEqual((status, body), (202, b""))
        self.assertNotIn("mcp-session-id", hdrs)  # only an answered initialize starts a session
        status, _, body = self.srv.request(body={"jsonrpc": "2.0", "id": 5, "result": {}})  # a client response
        self.assertEqual((status, body), (202, b""))

    def test_wrong_headers(self):
        ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
        self.assertEqual(self.srv.request(body=ping, headers={"Accept": "text/html"})[0], 406)
        self.assertEqual(self.srv.request(body=ping, headers={"Content-Type": "text/plain"})[0], 415)
        self.assertEqual(self.srv.request(body=ping, headers={"Content-Type": None})[0], 415)
        status, _, body = self.srv.request(body=ping, headers={"MCP-Protocol-Version": "1999-01-01"})
        self.assertEqual(status, 400)
        self.assertIn("1999-01-01", json.loads(body)["error"]["message"])
        # Accept may be absent or a wildcard; charset parameters are fine.
        self.assertEqual(self.srv.request(body=ping, headers={"Accept": None})[0], 200)
        self.assertEqual(self.srv.request(body=ping, headers={"Accept": "*/*",
                                                              "Content-Type": "application/json; charset=utf-8"})[0], 200)

    def test_origin_and_host(self):
        ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
        self.assertEqual(self.srv.request(body=ping, headers={"Origin": "http://evil.example.com"})[0], 403)
        self.assertEqual(self.srv.request(body=ping, headers={"Origin": "null"})[0], 403)
        self.assertEqual(self.srv.request(body=ping, headers={"Host": "evil.example.com"})[0], 403)
        status, hdrs, _ = self.srv.request(body=ping, headers={"Origin": "http://localhost:6274"})
        self.assertEqual(status, 200)
        self.assertEqual(hdrs["access-control-allow-origin"], "http://localhost:6274")
        self.assertEqual(self.srv.request(body=ping, headers={"Origin": "http://127.0.0.1:9"})[0], 200)
        self.assertEqual(self.srv.request(body=ping, headers={"Host": f"localhost:{self.srv.port}"})[0], 200)
        # Every method is behind the same gate.
        self.assertEqual(self.srv.request("GET", headers={"Origin": "http://evil.example.com"})[0], 403)
        self.assertEqual(self.srv.request("DELETE", headers={"Origin": "http://evil.example.com",
                                                             "Mcp-Session-Id": "0" * 32})[0], 403)
        self.assertEqual(self.srv.request("OPTIONS", headers={"Origin": "http://evil.example.com"})[0], 403)
        self.assertEqual(self.srv.request(body=ping, headers={"Origin": "http://localhost.evil.example.com"})[0], 403)
        self.assertEqual(self.srv.request(body=ping, headers={"Origin": "file://localhost"})[0], 403)
        status, hdrs, _ = self.srv.request("OPTIONS", headers={"Origin": "http://localhost:6274"})
        self.assertEqual(status, 204)
        self.assertIn("Mcp-Session-Id", hdrs["access-control-allow-headers"])

    def test_sessions(self):
        sid, _ = self.session()
        ping = {"jsonrpc": "2.0", "id": 2, "method": "ping"}
        self.assertEqual(self.srv.rpc(ping, headers={"Mcp-Session-Id": sid})[0], 200)
        status, _, body = self.srv.rpc(ping, headers={"Mcp-Session-Id": "0" * 32})
        self.assertEqual(status, 404)
        self.assertEqual(body["error"]["code"], -32001)
        self.assertEqual(self.srv.request("DELETE", headers={"Mcp-Session-Id": sid})[0], 204)
        self.assertEqual(self.srv.rpc(ping, headers={"Mcp-Session-Id": sid})[0], 404)
        self.assertEqual(self.srv.request("DELETE", headers={"Mcp-Session-Id": sid})[0], 404)
        self.assertEqual(self.srv.request("DELETE")[0], 400)

    def test_huge_body_is_refused(self):
        big = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                          "params": {"name": "search_docs", "arguments": {"query": "x" * (5 << 20)}}})
        self.assertEqual(self.srv.request(body=big)[0], 413)

    # ---- JSON-RPC ----
    def test_bad_json(self):
        for body in ("{", "not json", "", "\x00\xff", "[" * 100000, '{"jsonrpc": "2.0", "id": 1, "method": "ping"'):
            status, _, resp = self.srv.rpc(body)
            self.assertEqual(status, 400, body[:20])
            self.assertEqual(resp["error"]["code"], -32700)
            self.assertIsNone(resp["id"])

    def test_invalid_requests(self):
        cases = [
            {"jsonrpc": "1.0", "id": 1, "method": "ping"},
            {"id": 1, "method": "ping"},
            {"jsonrpc": "2.0", "id": {"a": 1}, "method": "ping"},
            {"jsonrpc": "2.0", "id": None, "method": "ping"},
            {"jsonrpc": "2.0", "id": 1, "method": 7},
            {"jsonrpc": "2.0", "id": 1},
            "a string",
            42,
        ]
        for c in cases:
            _, _, resp = self.srv.rpc(json.dumps(c))
            self.assertEqual(resp["error"]["code"], -32600, c)
        # Valid JSON, deeply nested: refused before any handler copies it (a copy recurses).
        nested = "[" * 5000 + "]" * 5000
        status, _, resp = self.srv.rpc(nested)
        self.assertEqual((status, resp["error"]["code"]), (400, -32600))
        self.assertIn("nested", resp["error"]["message"])
        deep = 600000  # ~1.2 MB inside a tool's arguments: this once crashed the server
        body = ('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"search_docs","arguments":'
                '{"query":"x","product":' + "[" * deep + "]" * deep + "}}}")
        status, _, resp = self.srv.rpc(body)
        self.assertEqual((status, resp["error"]["code"]), (400, -32600))
        # 64 levels are fine (tool arguments of any real client are far shallower).
        ok = {"jsonrpc": "2.0", "id": 8, "method": "ping", "params": {"_meta": {"x": json.loads("[" * 60 + "]" * 60)}}}
        self.assertEqual(self.srv.rpc(ok)[2]["result"], {})

    def test_unknown_method_and_bad_params(self):
        status, _, resp = self.srv.rpc({"jsonrpc": "2.0", "id": "a", "method": "no/such"})
        self.assertEqual((status, resp["id"], resp["error"]["code"]), (200, "a", -32601))
        for m, params in [("tools/call", {}), ("tools/call", {"name": 5}), ("tools/list", []),
                          ("resources/read", {}), ("initialize", {}), ("logging/setLevel", {"level": "loud"}),
                          ("prompts/get", {"name": "nope"}), ("prompts/get", {"name": "answer_from_docs"}),
                          ("completion/complete", {}), ("tools/call", {"name": "search_docs", "arguments": [1]})]:
            _, _, resp = self.srv.rpc({"jsonrpc": "2.0", "id": 3, "method": m, "params": params})
            self.assertEqual(resp["error"]["code"], -32602, (m, params))
        _, _, resp = self.srv.rpc({"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                                   "params": {"name": "nope", "arguments": {}}})
        self.assertEqual(resp["error"]["code"], -32602)
        self.assertIn("search_docs", resp["error"]["message"])

    def test_tool_input_mistakes_are_results(self):
        for args in ({}, {"query": ""}, {"query": 5}, {"query": "x", "limit": 0}, {"query": "x", "limit": 2.5},
                     {"query": "x", "mode": "psychic"}, {"query": "x", "bogus": 1}, {"query": "x", "product": "nope"},
                     {"query": "x", "max_chars": 10}):
            _, _, resp = self.srv.rpc({"jsonrpc": "2.0", "id": 4, "method": "tools/call",
                                       "params": {"name": "search_docs", "arguments": args}})
            self.assertTrue(resp["result"]["isError"], args)
            self.assertTrue(resp["result"]["content"][0]["text"], args)
        _, _, resp = self.srv.rpc({"jsonrpc": "2.0", "id": 4, "method": "tools/call",
                                   "params": {"name": "get_chunk", "arguments": {"chunk_id": "a::b::c::d::-1"}}})
        self.assertTrue(resp["result"]["isError"])
        # A lone surrogate escape is not valid JSON text for us: a parse error, not a crash.
        status, _, resp = self.srv.rpc('{"jsonrpc":"2.0","id":4,"method":"tools/call","params":'
                                       '{"name":"search_docs","arguments":{"query":"\\udcff"}}}')
        self.assertEqual((status, resp["error"]["code"]), (400, -32700))

    def test_resources_cursor_and_missing(self):
        _, _, resp = self.srv.rpc({"jsonrpc": "2.0", "id": 1, "method": "resources/list"})
        self.assertEqual(len(resp["result"]["resources"]), 4)
        self.assertNotIn("nextCursor", resp["result"])
        for cursor in ("bogus", "docs:", "docs:-1", "docs:99999", 7, "docs:1x"):
            _, _, resp = self.srv.rpc({"jsonrpc": "2.0", "id": 1, "method": "resources/list", "params": {"cursor": cursor}})
            self.assertEqual(resp["error"]["code"], -32602, cursor)
        for uri in ("mcdewey://doc/nope/1/x", "mcdewey://doc/../../etc", "file:///etc/passwd",
                    "mcdewey://chunk/nope", "mcdewey://doc/git/2.39.5/git-revert/extra"):
            _, _, resp = self.srv.rpc({"jsonrpc": "2.0", "id": 1, "method": "resources/read", "params": {"uri": uri}})
            self.assertEqual(resp["error"]["code"], -32002, uri)
        _, _, resp = self.srv.rpc({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"cursor": "x"}})
        self.assertEqual(resp["error"]["code"], -32602)

    def test_batches(self):
        batch = [{"jsonrpc": "2.0", "id": 1, "method": "ping"},
                 {"jsonrpc": "2.0", "method": "notifications/initialized"},
                 {"jsonrpc": "2.0", "id": 2, "method": "no/such"}]
        # Stateless 2025-03-26 (no version header): batches are handled.
        status, _, resp = self.srv.rpc(batch)
        self.assertEqual(status, 200)
        self.assertEqual([r["id"] for r in resp], [1, 2])
        self.assertEqual(resp[1]["error"]["code"], -32601)
        status, _, resp = self.srv.request(body=[{"jsonrpc": "2.0", "method": "notifications/initialized"}])
        self.assertEqual((status, resp), (202, b""))
        self.assertEqual(self.srv.rpc([])[2]["error"]["code"], -32600)
        _, _, resp = self.srv.rpc([INIT])
        self.assertEqual(resp[0]["error"]["code"], -32600)  # initialize never in a batch
        # Later revisions removed batches: refused cleanly.
        status, _, resp = self.srv.rpc(batch, headers={"MCP-Protocol-Version": "2025-11-25"})
        self.assertEqual((status, resp["error"]["code"]), (400, -32600))
        sid, _ = self.session("2025-06-18")
        status, _, resp = self.srv.rpc(batch, headers={"Mcp-Session-Id": sid})
        self.assertEqual((status, resp["error"]["code"]), (400, -32600))

    def test_concurrent_clients(self):
        errors = []

        def client(n):
            try:
                sid, _ = self.session()
                for i in range(20):
                    status, _, resp = self.srv.rpc(
                        {"jsonrpc": "2.0", "id": i, "method": "tools/call",
                         "params": {"name": "search_docs", "arguments": {"query": ["agent", "revert", "kerberos"][i % 3]}}},
                        headers={"Mcp-Session-Id": sid, "MCP-Protocol-Version": "2025-11-25"})
                    if status != 200 or resp["id"] != i or resp["result"]["isError"]:
                        errors.append((n, i, status, resp))
                    # Each client sees its own session's state, whatever the others do.
                    if i == 10:
                        self.srv.rpc({"jsonrpc": "2.0", "id": "lvl", "method": "logging/setLevel",
                                      "params": {"level": ["debug", "error"][n % 2]}}, headers={"Mcp-Session-Id": sid})
                if self.srv.request("DELETE", headers={"Mcp-Session-Id": sid})[0] != 204:
                    errors.append((n, "session not deleted"))
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append((n, repr(e)))

        def abuser(n):
            # Garbage, wrong headers and oversized bodies at the same time as real clients.
            try:
                for i in range(10):
                    bad = [("{", {}), ("x" * (5 << 20), {}), ('{"jsonrpc":"2.0","id":1,"method":"ping"}', {"Accept": "text/html"}),
                           ("[" * 10000, {}), ('{"jsonrpc":"2.0","id":1,"method":"ping"}', {"Mcp-Session-Id": "f" * 32})][i % 5]
                    status = self.srv.request(body=bad[0], headers=bad[1])[0]
                    if status not in (400, 404, 406, 413):
                        errors.append(("abuser", n, i, status))
            except (ConnectionError, http.client.HTTPException):
                pass  # the server may close a connection that sends 5 MB; that is fine
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(("abuser", n, repr(e)))

        threads = [threading.Thread(target=client, args=(n,)) for n in range(16)]
        threads += [threading.Thread(target=abuser, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        self.assertEqual(errors, [])


class TokenAndOriginTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mcdewey-mcp-token-")
        cls.data = ingest_fixture(cls.tmp)
        tokens = os.path.join(cls.tmp, "tokens")
        with open(tokens, "w") as f:
            f.write("# agents\nsecret-one\n\n  secret-two  \n")
        cls.srv = Server(cls.data, "--token-file", tokens, "--allow-origin", "https://app.example.com")

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_bearer_tokens(self):
        ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
        status, hdrs, _ = self.srv.request(body=ping)
        self.assertEqual(status, 401)
        self.assertTrue(hdrs["www-authenticate"].startswith("Bearer"))
        status, hdrs, _ = self.srv.request(body=ping, headers={"Authorization": "Bearer wrong"})
        self.assertEqual(status, 401)
        self.assertIn('error="invalid_token"', hdrs["www-authenticate"])
        self.assertEqual(self.srv.request(body=ping, headers={"Authorization": "Basic c2VjcmV0LW9uZQ=="})[0], 401)
        for t in ("secret-one", "secret-two"):
            self.assertEqual(self.srv.request(body=ping, headers={"Authorization": f"Bearer {t}"})[0], 200)
        # GET and DELETE are behind the token too; an Origin that is not allowed is refused first.
        for method in ("GET", "DELETE"):
            status, hdrs, _ = self.srv.request(method)
            self.assertEqual(status, 401, method)
            self.assertTrue(hdrs["www-authenticate"].startswith("Bearer"), method)
        self.assertEqual(self.srv.request(body=ping, headers={"Origin": "http://evil.example.com"})[0], 403)
        # The rest of the server is not behind the MCP tokens.
        self.assertEqual(self.srv.request("GET", path="/healthz")[0], 200)

    def test_allow_origin(self):
        auth = {"Authorization": "Bearer secret-one"}
        ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
        self.assertEqual(self.srv.request(body=ping, headers={**auth, "Origin": "https://app.example.com"})[0], 200)
        self.assertEqual(self.srv.request(body=ping, headers={**auth, "Origin": "https://other.example.com"})[0], 403)
        self.assertEqual(self.srv.request(body=ping, headers={**auth, "Host": "app.example.com"})[0], 200)

    def test_unreadable_token_file_fails_start(self):
        p = subprocess.run([BINARY, "serve", "--data", self.data, "--port", "0", "--token-file",
                            os.path.join(self.tmp, "missing")], capture_output=True, text=True, timeout=30)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("token file", p.stderr)


class StdioTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mcdewey-mcp-stdio-")
        cls.data = ingest_fixture(cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def run_stdio(self, lines, *flags):
        p = subprocess.run([BINARY, "mcp", "--stdio", "--data", self.data, *flags], input="".join(lines),
                           capture_output=True, text=True, timeout=120)
        return p, [json.loads(l) for l in p.stdout.splitlines()]

    def test_session_and_garbage(self):
        lines = [json.dumps(INIT) + "\n",
                 json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}) + "\n",
                 "\n", "   \r\n",
                 "garbage\n",
                 json.dumps({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}) + "\r\n",
                 json.dumps({"jsonrpc": "2.0", "id": 9, "result": {}}) + "\n",
                 "x" * (5 << 20) + "\n",
                 json.dumps([{"jsonrpc": "2.0", "id": 3, "method": "ping"}]) + "\n",
                 "[" * 300000 + "]" * 300000 + "\n",
                 json.dumps({"jsonrpc": "2.0", "id": 4, "method": "ping"})]  # no final newline
        p, out = self.run_stdio(lines)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(out[0]["result"]["serverInfo"]["name"], "mcdewey")
        self.assertEqual(out[1]["error"]["code"], -32700)
        self.assertEqual(len(out[2]["result"]["tools"]), 6)
        self.assertEqual(out[3]["error"]["code"], -32600)  # the 5 MB line
        self.assertEqual(out[4]["error"]["code"], -32600)  # batch in 2025-11-25
        self.assertEqual(out[5]["error"]["code"], -32600)  # nested too deeply
        self.assertEqual(out[6], {"jsonrpc": "2.0", "id": 4, "result": {}})
        self.assertEqual(len(out), 7)

    def test_missing_library_fails_cleanly(self):
        p = subprocess.run([BINARY, "mcp", "--stdio", "--data", os.path.join(self.tmp, "none")], input="",
                           capture_output=True, text=True, timeout=30)
        self.assertNotEqual(p.returncode, 0)
        self.assertEqual(p.stdout, "")
        self.assertIn("ingest", p.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "none")))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--data", required=True)
    args, rest = ap.parse_known_args()
    BINARY = os.path.abspath(args.binary)
    DATA = os.path.abspath(args.data)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)
