#!/usr/bin/env python3
"""REST tests of `mcdewey serve` (the real binary): /api/search cards, filters and bounds,
/api/chunks, /api/docs, /api/library, /api/view, originals, /healthz, /metrics, the OpenAPI
description, the web UI's pages and assets, error bodies, path traversal (.., %2e%2e, planted
symlinks), oversized requests, and a hostile library whose documents try to run script.
Every test ends by checking that the server still answers.

Standard library only. Each class ingests a fixture library into its own temp dir and starts
`mcdewey serve --port 0`, reading the printed URL; SIGTERM (then SIGKILL) at the end.
"""
import argparse
import html.parser
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import unittest
import urllib.parse

import mcdewey_proc

BINARY = None
DATA = None

KRB_SOURCE = "mit-kerberos/1.20.1/krb5-basic-excerpt/krb5-basic-excerpt.md"
CHUNK_ID_RE = re.compile(r"^[^:/]+::[^:/]+::[^:/]+::[^:/]+::\d+$")
SECRET = "TOP-SECRET-OUTSIDE-THE-LIBRARY"


def ingest(src_dir, tmp, name):
    return mcdewey_proc.ingest_copy(BINARY, src_dir, tmp, name)


class Server(mcdewey_proc.Server):
    def __init__(self, data):
        super().__init__(BINARY, data)

    def request(self, path, method="GET", body=None, headers=None):
        """Returns (status, headers dict lower-cased, body bytes). `path` is sent as is."""
        return self.send(method, path, body, headers)

    def get_json(self, path, **params):
        if params:
            path += "?" + urllib.parse.urlencode(params)
        status, hdrs, body = self.request(path)
        return status, hdrs, json.loads(body) if body else None


class ServerTestCase(unittest.TestCase):
    LIBRARY = "library"

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mcdewey-rest-")
        cls.data = ingest(os.path.join(DATA, cls.LIBRARY), cls.tmp, "data")
        cls.prepare()
        cls.srv = Server(cls.data)

    @classmethod
    def prepare(cls):
        pass

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def tearDown(self):
        # Whatever a test sent, the server is still alive and answering.
        self.assertIsNone(self.srv.proc.poll(), "server died")
        status, _, body = self.srv.get_json("/healthz")
        self.assertEqual((status, body["status"]), (200, "ok"))

    def assertError(self, path, status, code=None, method="GET", body=None, headers=None):
        got, hdrs, raw = self.srv.request(path, method=method, body=body, headers=headers)
        self.assertEqual(got, status, f"{method} {path[:120]}: {raw[:200]!r}")
        self.assertIn("application/json", hdrs.get("content-type", ""), path[:120])
        err = json.loads(raw)["error"]
        self.assertIsInstance(err["code"], str)
        self.assertIsInstance(err["message"], str)
        self.assertTrue(err["message"])
        if code:
            self.assertEqual(err["code"], code, err)
        return err

    def search(self, **params):
        params.setdefault("mode", "lexical")
        status, _, body = self.srv.get_json("/api/search", **params)
        self.assertEqual(status, 200, body)
        return body


class RestTest(ServerTestCase):
    @classmethod
    def prepare(cls):
        # Files outside the library, and symlinks planted inside it that point at them.
        outside = os.path.join(cls.tmp, "outside")
        os.makedirs(outside)
        for name in ("secret.md", "secret.txt", "secret.pdf"):
            with open(os.path.join(outside, name), "w") as f:
                f.write(f"# Secret\n\n{SECRET}\n")
        lib = os.path.join(cls.data, "library")
        os.symlink(os.path.join(outside, "secret.md"), os.path.join(lib, "git", "2.39.5", "git-revert", "planted.md"))
        os.symlink(outside, os.path.join(lib, "planted-dir"))
        # A known document whose canonical copy and original are replaced by symlinks.
        mod = os.path.join(lib, "kamailio", "5.6.3", "modules")
        for name, target in (("README.rtimer.md", "secret.md"), ("README.rtimer.txt", "secret.txt")):
            os.remove(os.path.join(mod, name))
            os.symlink(os.path.join(outside, target), os.path.join(mod, name))

    # ---- search ----
    def test_search_cards(self):
        body = self.search(q="credential cache", limit=5)
        self.assertEqual(body["mode"], "lexical")
        self.assertEqual(body["mode_requested"], "lexical")
        self.assertEqual(body["query"], "credential cache")
        self.assertIsInstance(body["took_ms"], (int, float))
        self.assertGreaterEqual(body["total"], len(body["results"]))
        self.assertEqual(len(body["results"]), 5)
        for card in body["results"]:
            for field in ("chunk_id", "source", "page", "page_end", "page_label", "heading_path", "vendor", "product",
                          "product_name", "version", "doc", "title", "score", "text", "snippet", "text_html",
                          "view_url", "also_in_versions"):
                self.assertIn(field, card)
            self.assertRegex(card["chunk_id"], CHUNK_ID_RE)
            product, version, doc, file, _ = card["chunk_id"].split("::")
            self.assertEqual(card["source"], f"{product}/{version}/{doc}/{file}.md")
            self.assertEqual((card["product"], card["version"], card["doc"]), (product, version, doc))
            self.assertIsInstance(card["heading_path"], list)
            self.assertIsInstance(card["also_in_versions"], list)
            self.assertTrue(card["view_url"].startswith("/view/" + card["source"]), card["view_url"])
            self.assertIn("?chunk=", card["view_url"])
        krb = [c for c in body["results"] if c["product"] == "mit-kerberos"]
        self.assertTrue(krb)
        for card in krb:
            self.assertEqual(card["vendor"], "MIT Kerberos Consortium")
            self.assertEqual(card["product_name"], "MIT Kerberos 5")
            self.assertEqual(card["source"], KRB_SOURCE)
            self.assertGreaterEqual(card["page"], 1)
            self.assertGreaterEqual(card["page_end"], card["page"])
            self.assertLessEqual(card["page_end"], 14)
        self.assertIn("<mark>", krb[0]["snippet"])

    def test_search_pdf_page_is_the_physical_page(self):
        body = self.search(q="replay cache types", product="mit-kerberos", limit=3)
        hit = next(c for c in body["results"] if c["heading_path"][-1:] == ["3.2 Replay cache types"])
        # The fixture's outline puts "3.2 Replay cache types" on page 12, printed "8".
        self.assertEqual((hit["page"], hit["page_label"]), (12, "8"))
        if shutil.which("pdftotext"):
            pdf = os.path.join(DATA, "library", "mit-kerberos", "1.20.1", "krb5-basic-excerpt.pdf")
            text = subprocess.run(["pdftotext", "-f", "12", "-l", "12", pdf, "-"], capture_output=True,
                                  text=True).stdout
            self.assertIn("Replay cache types", text)

    def test_search_pageless_docs(self):
        body = self.search(q="revert commit", product="git")
        self.assertTrue(body["results"])
        for card in body["results"]:
            self.assertEqual((card["page"], card["page_end"], card["page_label"]), (0, 0, ""))

    def test_search_filters(self):
        def products(**params):
            return {c["product"] for c in self.search(q="server configuration", limit=50, **params)["results"]}

        self.assertGreater(len(products()), 1)
        self.assertEqual(products(product="mit-kerberos"), {"mit-kerberos"})
        self.assertEqual(products(vendor="icinga"), {"icinga2"})
        # A vendor's full name as /api/library lists it (what the UI's filter sends).
        self.assertEqual(products(vendor="MIT Kerberos Consortium"), {"mit-kerberos"})
        body = self.search(q="revert", vendor="Git project (Software Freedom Conservancy)")
        self.assertTrue(body["results"])
        self.assertEqual({c["product"] for c in body["results"]}, {"git"})
        body = self.search(q="revert", product="git", version="2.39.5", doc="git-revert")
        self.assertTrue(body["results"])
        self.assertEqual(self.search(q="revert", product="git", version="0.0")["results"], [])
        self.assertEqual(self.search(q="revert", product="no-such-product")["total"], 0)
        body = self.search(q="product:git revert")
        self.assertEqual({c["product"] for c in body["results"]}, {"git"})

    def test_search_limits_and_offsets(self):
        self.assertEqual(len(self.search(q="cache", limit=1)["results"]), 1)
        self.assertLessEqual(len(self.search(q="cache", limit=100)["results"]), 100)
        first = self.search(q="cache", limit=3)["results"]
        second = self.search(q="cache", limit=3, offset=1)["results"]
        self.assertEqual(first[1]["chunk_id"], second[0]["chunk_id"])
        for bad in ({"limit": 0}, {"limit": 101}, {"limit": -1}, {"limit": "abc"}, {"limit": "1.5"},
                    {"limit": "99999999999999999999"}, {"offset": -1}, {"offset": 10001}, {"offset": "x"}):
            qs = urllib.parse.urlencode({"q": "cache", **bad})
            err = self.assertError(f"/api/search?{qs}", 400, "invalid_argument")
            self.assertIn(next(iter(bad)), err["message"])

    def test_search_bad_params(self):
        self.assertError("/api/search", 400, "invalid_argument")
        self.assertError("/api/search?q=%20%20", 400, "invalid_argument")
        self.assertError("/api/search?q=%ff%fe", 400, "invalid_argument")
        self.assertError("/api/search?q=" + "a" * 2001, 400, "invalid_argument")
        err = self.assertError("/api/search?q=cache&mode=psychic", 400, "invalid_argument")
        self.assertIn("psychic", err["message"])
        # Query syntax can never be an engine error: results, or a 400 that says why.
        for q in ('"unbalanced', "a AND OR NOT", "*", "NEAR(", "x:y:z", "(((", "'; DROP TABLE chunks; --"):
            status, _, body = self.srv.get_json("/api/search", q=q, mode="lexical")
            self.assertIn(status, (200, 400), (q, body))
            if status == 400:
                self.assertEqual(body["error"]["code"], "invalid_argument", q)

    def test_search_modes(self):
        for mode in ("auto", "hybrid", "lexical", "semantic"):
            status, _, body = self.srv.get_json("/api/search", q="credential cache", mode=mode)
            if status == 422:
                # No embedder here (the built-in model is found relative to the working directory
                # or the data dir): an explicit hybrid/semantic search is refused, and says why.
                self.assertIn(mode, ("hybrid", "semantic"))
                self.assertEqual(body["error"]["code"], "unsupported")
                self.assertIn("lexical", body["error"]["message"])
                continue
            self.assertEqual(status, 200, body)
            self.assertEqual(body["mode_requested"], mode)
            # The mode actually used (auto picks hybrid when semantic search is available).
            self.assertIn(body["mode"], ("hybrid", "lexical", "semantic"))
        self.assertEqual(self.search(q="cache", mode="lexical")["mode"], "lexical")

    # ---- chunks, docs, library, view ----
    def test_chunks_with_neighbours(self):
        status, _, c = self.srv.get_json("/api/chunks/" + urllib.parse.quote("mit-kerberos::1.20.1::krb5-basic-excerpt::krb5-basic-excerpt::0"))
        self.assertEqual(status, 200, c)
        self.assertIsNone(c["prev_id"])
        self.assertEqual(c["ordinal"], 0)
        self.assertEqual(c["source"], KRB_SOURCE)
        seen = [c["chunk_id"]]
        while c["next_id"]:
            nxt = c["next_id"]
            status, _, n = self.srv.get_json("/api/chunks/" + nxt)
            self.assertEqual(status, 200)
            self.assertEqual(n["prev_id"], c["chunk_id"])
            self.assertEqual(n["ordinal"], c["ordinal"] + 1)
            self.assertGreaterEqual(n["page"], c["page"])
            seen.append(nxt)
            c = n
            self.assertLess(len(seen), 1000)
        _, _, doc = self.srv.get_json("/api/docs/mit-kerberos/1.20.1/krb5-basic-excerpt")
        self.assertEqual(len(seen), doc["files"][0]["chunks"])
        self.assertError("/api/chunks/nope::1::x::y::0", 404, "not_found")
        self.assertError("/api/chunks/mit-kerberos::1.20.1::krb5-basic-excerpt::krb5-basic-excerpt::9999", 404, "not_found")
        self.assertError("/api/chunks/garbage", 400, "invalid_argument")
        self.assertError("/api/chunks/a::b::c::d::-1", 400)

    def test_docs(self):
        status, _, d = self.srv.get_json("/api/docs/mit-kerberos/1.20.1/krb5-basic-excerpt")
        self.assertEqual(status, 200)
        self.assertEqual((d["vendor"], d["product_name"], d["pages"]), ("MIT Kerberos Consortium", "MIT Kerberos 5", 14))
        self.assertEqual(len(d["files"]), 1)
        self.assertEqual(d["files"][0]["format"], "pdf")
        self.assertEqual(d["files"][0]["source"], KRB_SOURCE)
        self.assertTrue(d["files"][0]["original_url"].endswith(".pdf"))
        titles = {e["title"]: e for e in d["outline"]}
        self.assertEqual(titles["3.2 Replay cache types"]["page"], 12)
        for e in d["outline"]:
            self.assertGreaterEqual(e["page"], 1)
            self.assertEqual(self.srv.get_json("/api/chunks/" + e["chunk_id"])[0], 200)
        _, _, manual = self.srv.get_json("/api/docs/icinga2/2.13.6/manual")
        self.assertEqual(len(manual["files"]), 2)
        self.assertError("/api/docs/nope/1/x", 404, "not_found")
        self.assertError("/api/docs/git/2.39.5/nope", 404, "not_found")

    def test_library_counts(self):
        status, _, lib = self.srv.get_json("/api/library")
        self.assertEqual(status, 200)
        _, _, health = self.srv.get_json("/healthz")
        totals = lib["totals"]
        self.assertEqual((totals["vendors"], totals["docs"], totals["pages"]), (4, 4, 14))
        self.assertEqual(totals["chunks"], health["chunks"])
        self.assertEqual(totals["docs"], health["docs"])
        names = {p["slug"]: (v["name"], p["name"]) for v in lib["vendors"] for p in v["products"]}
        self.assertEqual(names, {
            "git": ("Git project (Software Freedom Conservancy)", "Git"),
            "icinga2": ("Icinga GmbH", "Icinga 2"),
            "kamailio": ("Kamailio project", "Kamailio SIP Server"),
            "mit-kerberos": ("MIT Kerberos Consortium", "MIT Kerberos 5"),
        })
        chunks = 0
        for v in lib["vendors"]:
            self.assertEqual(v["chunks"], sum(p["chunks"] for p in v["products"]))
            self.assertEqual(v["docs"], sum(p["docs"] for p in v["products"]))
            for p in v["products"]:
                self.assertEqual(p["chunks"], sum(ver["chunks"] for ver in p["versions"]))
                for ver in p["versions"]:
                    self.assertEqual(ver["chunks"], sum(d["chunks"] for d in ver["docs"]))
                    for d in ver["docs"]:
                        self.assertGreater(d["chunks"], 0)
                        self.assertEqual(self.srv.get_json(f"/api/docs/{p['slug']}/{ver['version']}/{d['doc']}")[0], 200)
            chunks += v["chunks"]
        self.assertEqual(chunks, totals["chunks"])

    def test_view(self):
        status, _, v = self.srv.get_json("/api/view", source=KRB_SOURCE)
        self.assertEqual(status, 200, v)
        self.assertEqual((v["product"], v["version"], v["doc"], v["format"], v["pages"]),
                         ("mit-kerberos", "1.20.1", "krb5-basic-excerpt", "pdf", 14))
        self.assertEqual(v["doc_meta"]["vendor"], "MIT Kerberos Consortium")
        html_text = v["html"]
        self.assertEqual(html_text.count('<section class="chunk"'), len(v["chunks"]))
        for c in v["chunks"]:
            self.assertIn(f'data-chunk-id="{c["chunk_id"]}"', html_text)
            self.assertGreaterEqual(c["page"], 1)
        self.assertIn('<div class="page-sep" id="page-12" data-page="12"><span>page 12 · printed 8</span></div>', html_text)
        self.assertTrue(v["outline"])
        self.assertTrue(all(e["source"] == KRB_SOURCE for e in v["outline"]))
        status, hdrs, pdf = self.srv.request(v["original_url"])
        self.assertEqual(status, 200)
        self.assertEqual(hdrs["content-type"], "application/pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertError("/api/view", 400, "invalid_argument")
        self.assertError("/api/view?source=nope/1/x/y.md", 404, "not_found")
        # An HTML document: its original is served as text, never as a page.
        _, _, g = self.srv.get_json("/api/view", source="git/2.39.5/git-revert/git-revert.md")
        status, hdrs, _ = self.srv.request(g["original_url"])
        self.assertEqual(status, 200)
        self.assertTrue(hdrs["content-type"].startswith("text/plain"), hdrs["content-type"])
        self.assertEqual(hdrs["x-content-type-options"], "nosniff")

    # ---- safety ----
    def test_path_traversal_view(self):
        sources = ["../../../../etc/passwd", "/etc/passwd", "git/../../../outside/secret.md",
                   "git/2.39.5/git-revert/../../../../outside/secret.md",
                   "git/2.39.5/git-revert/planted.md",           # a symlink planted in the library
                   "planted-dir/secret.md",                      # a planted directory symlink
                   "kamailio/5.6.3/modules/README.rtimer.md"]    # a known doc replaced by a symlink
        for s in sources:
            status, _, body = self.srv.request("/api/view?source=" + urllib.parse.quote(s, safe="/"))
            self.assertEqual(status, 404, (s, body[:200]))
            self.assertNotIn(SECRET.encode(), body)
        for raw in ("..%2f..%2f..%2f..%2fetc%2fpasswd", "%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                    "%2E%2E%2F%2E%2E%2Foutside%2Fsecret.md", "git/2.39.5/git-revert/%2e%2e/%2e%2e/%2e%2e/%2e%2e/outside/secret.md"):
            status, _, body = self.srv.request("/api/view?source=" + raw)
            self.assertEqual(status, 404, (raw, body[:200]))
            self.assertNotIn(SECRET.encode(), body)

    def test_doc_outline_does_not_follow_planted_symlinks(self):
        # The kamailio modules doc lists the replaced file, but its outline holds nothing read
        # through the symlink (the secret file's heading is "Secret").
        status, _, d = self.srv.get_json("/api/docs/kamailio/5.6.3/modules")
        self.assertEqual(status, 200)
        self.assertIn("kamailio/5.6.3/modules/README.rtimer.md", [f["source"] for f in d["files"]])
        self.assertNotIn("Secret", [e["title"] for e in d["outline"]])
        self.assertNotIn(SECRET, json.dumps(d))

    def test_path_traversal_originals_and_assets(self):
        paths = ["/original/../../../../etc/passwd", "/original/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                 "/original/..%2f..%2f..%2f..%2fetc%2fpasswd", "/original/git/2.39.5/git-revert/planted.md",
                 "/original/planted-dir/secret.md", "/original/planted-dir/secret.pdf",
                 "/original/kamailio/5.6.3/modules/README.rtimer.txt",  # a known original replaced by a symlink
                 "/original/git/2.39.5/git-revert/../../../../outside/secret.md",
                 "/original/git/2.39.5/git-revert/git-revert.md",  # the canonical copy is not an original
                 "/original/%2fetc%2fpasswd", "/original/", "/original/x",
                 "/assets/../../../../etc/passwd", "/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                 "/assets/..%2f..%2f..%2fetc%2fpasswd", "/api/docs/..%2f..%2f/x/y", "/api/chunks/..%2f..%2fetc%2fpasswd"]
        for p in paths:
            status, hdrs, body = self.srv.request(p)
            self.assertIn(status, (400, 404), (p, status, body[:200]))
            self.assertNotIn(SECRET.encode(), body, p)
            self.assertNotIn(b"root:", body, p)
            self.assertIn("application/json", hdrs.get("content-type", ""), p)
        # The healthy neighbour of the replaced kamailio file still works.
        self.assertEqual(self.srv.request("/original/kamailio/5.6.3/modules/README.xhttp_rpc.txt")[0], 200)

    def test_oversized_requests_are_refused(self):
        big = b"x" * (5 << 20)
        self.assertError("/mcp", 413, "payload_too_large", method="POST", body=big,
                         headers={"Content-Type": "application/json", "Accept": "application/json"})
        self.assertError("/api/search?q=" + "a" * 20000, 414, "uri_too_long")
        # A huge header block: refused (cpp-httplib closes such requests), never a crash.
        with socket.create_connection((self.srv.host, self.srv.port), timeout=30) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"X-Big: " + b"y" * 200000 + b"\r\n\r\n")
            try:
                reply = s.recv(100)
            except (ConnectionResetError, socket.timeout):
                reply = b""
            self.assertFalse(reply.startswith(b"HTTP/1.1 200"), reply)

    def test_concurrent_searches(self):
        errors = []

        def worker(i):
            try:
                for j in range(10):
                    status, _, body = self.srv.get_json("/api/search", q=["cache", "server", "revert", "module"][(i + j) % 4])
                    if status != 200:
                        errors.append((status, body))
            except Exception as e:  # noqa: BLE001 - any failure is reported below
                errors.append(repr(e))

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        self.assertEqual(errors, [])

    # ---- pages, assets, headers, errors ----
    def test_pages_and_csp(self):
        for path in ("/", "/library", "/view/" + KRB_SOURCE + "?chunk=x", "/docs/git/2.39.5/git-revert"):
            status, hdrs, body = self.srv.request(path)
            self.assertEqual(status, 200, path)
            self.assertTrue(hdrs["content-type"].startswith("text/html"), path)
            csp = hdrs["content-security-policy"]
            self.assertIn("script-src 'self'", csp)
            self.assertIn("default-src 'self'", csp)
            self.assertIn("object-src 'none'", csp)
            self.assertNotIn("unsafe-inline", csp)
            self.assertNotIn("unsafe-eval", csp)
            self.assertEqual(hdrs["x-content-type-options"], "nosniff")
            self.assertIn(b"McDewey", body)
        _, hdrs, _ = self.srv.request("/api/library")
        self.assertIn("content-security-policy", hdrs)

    def test_web_assets(self):
        _, _, index = self.srv.request("/")
        page = index.decode()
        self.assertIn("McDewey</a> — <span class=\"tagline\">Multi-vendor documentation library · semantic search · "
                      "MCP endpoint at /mcp</span>", page)
        # The CSP forbids inline code: the page has none.
        self.assertNotRegex(page, r"<script(?![^>]*\bsrc=)")
        self.assertNotRegex(page, r"<style|\sstyle=|\son\w+=")
        refs = re.findall(r'(?:src|href)="(/assets/[^"]+)"', page)
        self.assertIn("/assets/app.js", refs)
        self.assertIn("/assets/app.css", refs)
        modules = {"app.js"}
        seen = set()
        while modules:  # app.js and every module it imports
            name = modules.pop()
            seen.add(name)
            status, hdrs, body = self.srv.request("/assets/" + name)
            self.assertEqual(status, 200, name)
            self.assertTrue(hdrs["content-type"].startswith("text/javascript"), name)
            text = body.decode()
            for imp in re.findall(r"from '\./([\w.-]+\.js)'", text):
                if imp not in seen:
                    modules.add(imp)
            # Untrusted strings never reach innerHTML: the only use is dom.js's inert <template>.
            uses = len(re.findall(r"\.innerHTML\b|outerHTML|insertAdjacentHTML|document\.write|\beval\(", text))
            self.assertEqual(uses, 1 if name == "dom.js" else 0, name)
        self.assertGreaterEqual(len(seen), 5)
        for ref in refs:
            status, hdrs, _ = self.srv.request(ref)
            self.assertEqual(status, 200, ref)
            etag = hdrs.get("etag")
            if etag:
                self.assertEqual(self.srv.request(ref, headers={"If-None-Match": etag})[0], 304, ref)
        self.assertError("/assets/nope.js", 404, "not_found")

    def test_error_shape(self):
        self.assertError("/api/nope", 404, "not_found")
        self.assertError("/nope", 404, "not_found")
        self.assertError("/api/search?q=x", 404, method="DELETE")

    def test_healthz_metrics_openapi(self):
        self.srv.get_json("/api/search", q="cache")
        self.srv.request("/api/search?q=cache&limit=0")
        status, hdrs, body = self.srv.request("/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(hdrs["content-type"].startswith("text/plain"))
        text = body.decode()
        self.assertRegex(text, r'mcdewey_http_requests_total\{route="/api/search",status="200"\} [1-9]\d*')
        self.assertRegex(text, r'mcdewey_http_requests_total\{route="/api/search",status="400"\} [1-9]\d*')
        self.assertRegex(text, r'mcdewey_http_request_duration_seconds_bucket\{route="/api/search",le="\+Inf"\} [1-9]')
        _, _, health = self.srv.get_json("/healthz")
        self.assertIn(f"mcdewey_library_chunks {health['chunks']}\n", text)
        sample = re.compile(r'^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_]\w*="[^"]*"(,[a-zA-Z_]\w*="[^"]*")*\})? '
                            r'[-+]?(\d+(\.\d*)?([eE][-+]?\d+)?|\+Inf|NaN)$')
        for line in text.splitlines():
            if line.startswith("# HELP ") or line.startswith("# TYPE "):
                continue
            self.assertRegex(line, sample)
        status, hdrs, body = self.srv.request("/api/openapi.json")
        self.assertEqual(status, 200)
        spec = json.loads(body)
        self.assertTrue(spec["openapi"].startswith("3."))
        for p in ("/api/search", "/api/chunks/{chunk_id}", "/api/docs/{product}/{version}/{doc}", "/api/view",
                  "/api/library", "/healthz", "/metrics"):
            self.assertIn(p, spec["paths"])


class TagCollector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, attrs)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def parse_tags(text):
    p = TagCollector()
    p.feed(text)
    p.close()
    return p.tags


DANGEROUS_TAGS = {"script", "iframe", "frame", "object", "embed", "svg", "math", "img", "style", "link", "meta",
                  "base", "form", "button", "textarea", "select", "details", "video", "audio", "source", "template"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "poster", "background"}


class XssTest(ServerTestCase):
    """A library whose documents, names and titles are full of script: all of it stays inert."""
    LIBRARY = "xss"

    def assertInert(self, fragment, allowed_tags=None, where=""):
        self.assertNotIn("<script", fragment.lower(), where)
        for tag, attrs in parse_tags(fragment):
            self.assertNotIn(tag, DANGEROUS_TAGS, where)
            if allowed_tags is not None:
                self.assertIn(tag, allowed_tags, where)
            if tag == "input":
                self.assertIn(("type", "checkbox"), attrs, where)
            for name, value in attrs:
                self.assertFalse(name.startswith("on"), (where, tag, name, value))
                self.assertNotEqual(name, "style", where)
                if name in URL_ATTRS:
                    v = re.sub(r"[\x00-\x20]", "", value or "").lower()
                    self.assertFalse(v.startswith(("javascript:", "vbscript:", "data:")), (where, tag, name, value))

    def test_view_html_is_inert(self):
        _, _, lib = self.srv.get_json("/api/library")
        sources = []
        for v in lib["vendors"]:
            for p in v["products"]:
                for ver in p["versions"]:
                    for d in ver["docs"]:
                        _, _, doc = self.srv.get_json(f"/api/docs/{p['slug']}/{ver['version']}/{d['doc']}")
                        sources += [f["source"] for f in doc["files"]]
        self.assertEqual(len(sources), 3, sources)  # the Markdown (in two versions) and the HTML fixture
        for source in sources:
            status, _, v = self.srv.get_json("/api/view", source=source)
            self.assertEqual(status, 200, v)
            self.assertIn("xsswitness", v["html"])
            self.assertInert(v["html"], where=source)
            self.assertNotRegex(v["html"], r"(?i)<[^>]*\son\w+\s*=")
            self.assertNotRegex(v["html"], r'(?i)(href|src)\s*=\s*"\s*(javascript|vbscript|data):')
            # The safe link survives as a link.
            if source.endswith("xss-markdown.md"):
                self.assertIn('<a href="https://example.org/manual">', v["html"])
            status, hdrs, _ = self.srv.request(v["original_url"])
            self.assertEqual(status, 200)
            self.assertTrue(hdrs["content-type"].startswith("text/plain"), hdrs["content-type"])
            self.assertEqual(hdrs["x-content-type-options"], "nosniff")

    def test_search_cards_are_inert(self):
        body = self.search(q="xsswitness alert script", limit=20)
        self.assertGreaterEqual(len(body["results"]), 2)
        for card in body["results"]:
            for field in ("snippet", "text_html"):
                self.assertInert(card[field], allowed_tags={"mark"}, where=(card["chunk_id"], field))
        # Names keep their characters: the UI shows them as text.
        self.assertEqual(body["results"][0]["vendor"], "Evil <img src=x onerror=alert(1)> Corp")
        # The Markdown fixture is in versions 1.0 and 2.0: one card, the newest, "also in 1.0".
        md = [c for c in body["results"] if c["doc"] == "xss-markdown"]
        self.assertTrue(md)
        self.assertEqual({c["version"] for c in md}, {"2.0"})
        self.assertEqual(md[0]["also_in_versions"], ["1.0"])


def main():
    global BINARY, DATA
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--data", required=True, help="tests/data")
    args, rest = ap.parse_known_args()
    BINARY, DATA = os.path.abspath(args.binary), os.path.abspath(args.data)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
