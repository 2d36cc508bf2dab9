#!/usr/bin/env python3
"""End-to-end tests of the real `mcdewey` binary: ingest, search, batch, stats, errors.

Standard library only. Each test class works in its own temporary directory.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import mcdewey_proc

BINARY = None
DATA = None


def run(*args, check=None, stdin=None, env=None, cwd=None):
    # The built-in model must come from the test: never from $MCDEWEY_MODEL or ./models.
    base = {k: v for k, v in os.environ.items()
            if k not in ("MCDEWEY_MODEL", "MCDEWEY_EMBEDDER", "MCDEWEY_EMBED_URL", "MCDEWEY_EMBED_MODEL")}
    p = subprocess.run([BINARY, *args], capture_output=True, text=True, input=stdin, timeout=240,
                       env={**base, "NO_COLOR": "1", **(env or {})}, cwd=cwd)
    if check is not None and p.returncode != check:
        raise AssertionError(f"{args} exited {p.returncode}, wanted {check}\nstdout: {p.stdout}\nstderr: {p.stderr}")
    return p


class CliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mcdewey-cli-")
        cls.lib = mcdewey_proc.copy_library(os.path.join(DATA, "library"), os.path.join(cls.tmp, "src"))
        cls.data = os.path.join(cls.tmp, "data")
        cls.first = run("ingest", cls.lib, "--data", cls.data, "--json")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_help_and_version(self):
        p = run("--help", check=0)
        for word in ("ingest", "search", "stats"):
            self.assertIn(word, p.stdout)
        self.assertIn("mcdewey", run("--version", check=0).stdout)
        for sub in ("ingest", "search", "stats"):
            self.assertIn("--data", run(sub, "--help", check=0).stdout)

    def test_ingest_summary_and_exit_status(self):
        self.assertEqual(self.first.returncode, 1, self.first.stderr)  # bad files failed, the rest went in
        summary = json.loads(self.first.stdout)
        self.assertGreaterEqual(summary["ingested"], 6)
        self.assertEqual(summary["failed"], 3)
        self.assertEqual(summary["skipped"], 1)
        reasons = {os.path.basename(p["path"]): p["reason"] for p in summary["problems"]}
        self.assertIn("not a PDF", reasons["fake.pdf"])
        self.assertIn("UTF-8", reasons["latin1.txt"])
        self.assertIn("failed", self.first.stderr)

    def test_reingest_is_a_no_op(self):
        p = run("ingest", self.lib, "--data", self.data, "--json")
        summary = json.loads(p.stdout)
        self.assertEqual(summary["ingested"], 0)
        self.assertGreaterEqual(summary["unchanged"], 6)

    def test_search_cards(self):
        p = run("search", "revert a commit", "--data", self.data, "--limit", "3", check=0)
        self.assertIn("source    git/2.39.5/git-revert/git-revert.md", p.stdout)
        self.assertIn("chunk_id  git::2.39.5::git-revert::git-revert::", p.stdout)
        self.assertIn("View in doc context", p.stdout)

    def test_search_json_and_filters(self):
        p = run("search", "agent", "--data", self.data, "--json", "--product", "icinga2", check=0)
        out = json.loads(p.stdout)
        self.assertGreater(len(out["results"]), 0)
        for r in out["results"]:
            self.assertEqual(r["product"], "icinga2")
            self.assertTrue(r["chunk_id"].startswith("icinga2::2.13.6::manual::"))
            self.assertTrue(r["source"].startswith("icinga2/2.13.6/manual/"))
        p = run("search", "agent", "--data", self.data, "--json", "--vendor", "kamailio", check=0)
        for r in json.loads(p.stdout)["results"]:
            self.assertEqual(r["product"], "kamailio")

    def test_any_typed_string_works(self):
        for q in ['"unbalanced', "AND OR NOT", "NEAR(x", "a:b:c", "*", "'; DROP TABLE chunks; --", "^caret",
                  "user.name", "\"quoted phrase\" rest"]:
            p = run("search", q, "--data", self.data, "--json")
            self.assertIn(p.returncode, (0, 2), q)
            if p.returncode == 2:
                self.assertIn("no words", p.stderr, q)
            else:
                json.loads(p.stdout)

    def test_batch(self):
        lines = "\n".join([
            json.dumps({"id": "q1", "question": "How do I revert a commit?", "extra": 1}),
            json.dumps({"id": 2, "question": "agent based monitoring"}),
            "not json",
            json.dumps({"id": "q3"}),
        ])
        p = run("search", "--batch", "-", "--limit", "5", "--data", self.data, stdin=lines)
        self.assertEqual(p.returncode, 1)  # two bad lines
        out = [json.loads(l) for l in p.stdout.splitlines()]
        self.assertEqual(len(out), 4)
        self.assertEqual(out[0]["id"], "q1")
        self.assertLessEqual(len(out[0]["results"]), 5)
        self.assertGreater(len(out[0]["results"]), 0)
        for key in ("chunk_id", "source", "page", "page_end", "heading_path", "text", "score"):
            self.assertIn(key, out[0]["results"][0])
        self.assertEqual(out[1]["id"], 2)
        self.assertIn("error", out[2])
        self.assertIn("error", out[3])

    def test_stats(self):
        s = json.loads(run("stats", "--data", self.data, "--json", check=0).stdout)
        self.assertGreaterEqual(s["products"], 3)
        self.assertGreater(s["chunks"], 10)
        self.assertIn("icinga2", s["by_product"])
        self.assertEqual(s["by_product"]["icinga2"]["vendor"], "Icinga GmbH")
        self.assertIn("chunks", run("stats", "--data", self.data, check=0).stdout)

    def test_errors_are_clear(self):
        missing = os.path.join(self.tmp, "no-such-data")
        p = run("search", "x", "--data", missing, check=2)
        self.assertIn("mcdewey ingest", p.stderr)
        p = run("ingest", os.path.join(self.lib, "bad/1.0/fake.pdf"), "--data", missing, check=2)
        self.assertIn("--product", p.stderr)
        p = run("ingest", os.path.join(self.lib, "bad/1.0/fake.pdf"), "--product", "x", "--data", missing, check=2)
        self.assertIn("--version", p.stderr)
        run("search", "--data", self.data, check=2)
        run("bogus-command", check=2)

    def test_data_from_environment(self):
        p = run("stats", "--json", env={"MCDEWEY_DATA": self.data}, check=0)
        self.assertGreater(json.loads(p.stdout)["chunks"], 0)


def one_line_error(test, p):
    """stderr holds exactly one line, "mcdewey: ..."; returns it."""
    lines = [l for l in p.stderr.splitlines() if l.strip() and not l.startswith("mcdewey: warning:")]
    test.assertEqual(len(lines), 1, p.stderr)
    test.assertTrue(lines[0].startswith("mcdewey: "), p.stderr)
    return lines[0]


class SemanticCliTest(unittest.TestCase):
    """Semantic and hybrid search with the built-in embedder over the SYNTHETIC fixture model
    (tests/data/embed/tiny-wink.json), run from a directory without ./models."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mcdewey-cli-sem-")
        cls.lib = mcdewey_proc.copy_library(os.path.join(DATA, "library"), os.path.join(cls.tmp, "src"))
        cls.model = os.path.join(cls.tmp, "m.mcdwv")
        fixture = os.path.join(DATA, "embed", "tiny-wink.json")
        run("model", "convert", fixture, cls.model, "--name", "tiny-wink", check=0, cwd=cls.tmp)
        cls.other_model = os.path.join(cls.tmp, "other.mcdwv")
        run("model", "convert", fixture, cls.other_model, "--name", "other-wink", check=0, cwd=cls.tmp)
        cls.plain = os.path.join(cls.tmp, "plain")  # ingested with --embedder none
        cls.plain_ingest = run("ingest", cls.lib, "--data", cls.plain, "--embedder", "none", "--json", cwd=cls.tmp)
        cls.data = os.path.join(cls.tmp, "data")  # embedded with the fixture model
        cls.ingest = run("ingest", cls.lib, "--data", cls.data, "--model", cls.model, "--json", cwd=cls.tmp)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def search_json(self, data, *args, cwd=None):
        p = run("search", "--data", data, "--json", *args, check=0, cwd=cwd or self.tmp)
        return json.loads(p.stdout)

    def test_help_lists_modes_and_embedders(self):
        out = run("search", "--help", check=0).stdout
        for flag in ("--mode", "semantic", "hybrid", "--embedder", "--model", "--embed-url", "--embed-model",
                     "--embed-key-env", "--embed-dims"):
            self.assertIn(flag, out)
        for sub in ("ingest", "stats", "reembed", "serve", "mcp"):
            out = run(sub, "--help", check=0).stdout
            self.assertIn("--embedder", out, sub)
            self.assertIn("--embed-url", out, sub)

    def test_semantic_without_embeddings_fails_clearly(self):
        self.assertEqual(json.loads(self.plain_ingest.stdout)["embedded"], 0)
        # No model anywhere (this cwd has no ./models).
        for mode in ("semantic", "hybrid"):
            p = run("search", "commit", "--data", self.plain, "--mode", mode, check=2, cwd=self.tmp)
            line = one_line_error(self, p)
            self.assertIn("lexical", line)
            self.assertIn("fetch-model", line)
        # A model, but no vectors: says to reembed.
        p = run("search", "commit", "--data", self.plain, "--mode", "semantic", "--model", self.model, check=2,
                cwd=self.tmp)
        self.assertIn("mcdewey reembed", one_line_error(self, p))
        # --embedder none with a semantic mode is refused before anything is opened.
        p = run("search", "commit", "--data", self.data, "--mode", "semantic", "--embedder", "none", check=2)
        self.assertIn("--embedder none", one_line_error(self, p))
        # auto (the default) answers lexically.
        out = self.search_json(self.plain, "revert a commit")
        self.assertEqual(out["mode"], "lexical")
        self.assertGreater(len(out["results"]), 0)

    def test_ingest_embeds_every_passage(self):
        summary = json.loads(self.ingest.stdout)
        self.assertGreater(summary["embedded"], 0)
        self.assertEqual(summary["embedded"], summary["chunks"])
        self.assertIn("embedded", self.ingest.stderr)
        again = json.loads(run("ingest", self.lib, "--data", self.data, "--model", self.model, "--json",
                               cwd=self.tmp).stdout)
        self.assertEqual(again["ingested"], 0)
        self.assertEqual(again["embedded"], 0)

    def test_modes(self):
        for mode in ("hybrid", "semantic", "lexical"):
            out = self.search_json(self.data, "revert a commit", "--mode", mode)
            self.assertEqual(out["mode"], mode)
            self.assertGreater(len(out["results"]), 0, mode)
        # auto = hybrid, and the recorded model file is found without --model.
        out = self.search_json(self.data, "revert a commit")
        self.assertEqual(out["mode"], "hybrid")
        # Filters hold in semantic mode.
        out = self.search_json(self.data, "revert a commit", "--mode", "semantic", "--product", "icinga2",
                               "--limit", "50")
        self.assertGreater(len(out["results"]), 0)
        for r in out["results"]:
            self.assertEqual(r["product"], "icinga2")
        # Cards name the mode.
        p = run("search", "revert a commit", "--data", self.data, "--mode", "semantic", "--limit", "1", check=0,
                cwd=self.tmp)
        self.assertIn("(semantic,", p.stdout)

    def test_stats_shows_semantic(self):
        s = json.loads(run("stats", "--data", self.data, "--json", check=0, cwd=self.tmp).stdout)
        self.assertTrue(s["semantic"]["available"], s["semantic"])
        self.assertEqual(s["semantic"]["embedder"], "builtin:tiny-wink")
        self.assertEqual(s["semantic"]["dims"], 16)
        self.assertEqual(s["semantic"]["embedded"], s["chunks"])
        self.assertIs(s["semantic"]["domain_adaptation"], False)  # opt-in (--adapt)
        s = json.loads(run("stats", "--data", self.plain, "--json", check=0, cwd=self.tmp).stdout)
        self.assertFalse(s["semantic"]["available"])
        self.assertTrue(s["semantic"]["note"])
        self.assertIn("semantic", run("stats", "--data", self.data, check=0, cwd=self.tmp).stdout)

    def test_reembed_and_model_change(self):
        data = os.path.join(self.tmp, "reembed-data")
        shutil.copytree(self.data, data)
        p = run("reembed", "--data", data, "--model", self.model, check=0, cwd=self.tmp)
        self.assertIn("re-embedded", p.stderr)
        # Another model is refused, with how to re-embed...
        p = run("search", "commit", "--data", data, "--model", self.other_model, check=2, cwd=self.tmp)
        line = one_line_error(self, p)
        self.assertIn("mcdewey reembed", line)
        self.assertIn("builtin:tiny-wink", line)
        # ...until reembed switches the library to it.
        run("reembed", "--data", data, "--model", self.other_model, check=0, cwd=self.tmp)
        out = self.search_json(data, "revert a commit", "--mode", "semantic", "--model", self.other_model)
        self.assertEqual(out["mode"], "semantic")
        s = json.loads(run("stats", "--data", data, "--json", check=0, cwd=self.tmp).stdout)
        self.assertEqual(s["semantic"]["embedder"], "builtin:other-wink")
        # Domain adaptation: opt-in, recorded, and kept by later runs that do not say.
        p = run("reembed", "--data", data, "--adapt", "--no-adapt", check=2, cwd=self.tmp)
        self.assertIn("not both", one_line_error(self, p))
        run("reembed", "--data", data, "--adapt", check=0, cwd=self.tmp)
        run("reembed", "--data", data, check=0, cwd=self.tmp)
        s = json.loads(run("stats", "--data", data, "--json", check=0, cwd=self.tmp).stdout)
        self.assertIs(s["semantic"]["domain_adaptation"], True)
        self.assertIn("domain adaptation on", run("stats", "--data", data, check=0, cwd=self.tmp).stdout)
        # reembed with no model to be found is an error, not a silent no-op.
        p = run("reembed", "--data", self.plain, check=2, cwd=self.tmp)
        one_line_error(self, p)


class StubServer:
    """tests/unit/embed/openai_stub_server.py on a free port; stops when stdin closes."""

    def __init__(self):
        script = os.path.join(DATA, "..", "unit", "embed", "openai_stub_server.py")
        self.proc = subprocess.Popen([sys.executable, "-u", script, "--port", "0", "--dims", "8"],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            self.stop()
            raise RuntimeError(f"the stub server did not start: {line!r}")
        self.port = int(line.split()[1])
        self.url = f"http://127.0.0.1:{self.port}/v1"

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()


class HttpEmbedderCliTest(unittest.TestCase):
    """--embedder http against the OpenAI-compatible stub server (a real socket)."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mcdewey-cli-http-")
        cls.lib = mcdewey_proc.copy_library(os.path.join(DATA, "library"), os.path.join(cls.tmp, "src"))
        cls.servers = []

    @classmethod
    def tearDownClass(cls):
        for s in cls.servers:
            s.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def server(self):
        s = StubServer()
        self.servers.append(s)
        return s

    def ingest(self, data, *args, env=None):
        p = run("ingest", self.lib, "--data", data, "--json", *args, env=env, cwd=self.tmp)
        self.assertIn(p.returncode, (0, 1), p.stderr)  # 1: the fixture's bad files
        return json.loads(p.stdout)

    def test_end_to_end_and_server_down(self):
        stub = self.server()
        data = os.path.join(self.tmp, "data")
        summary = self.ingest(data, "--embedder", "http", "--embed-url", stub.url, "--embed-model", "stub")
        self.assertGreater(summary["embedded"], 0)
        self.assertEqual(summary["embedded"], summary["chunks"])
        # Later commands reuse the recorded URL and model (no flags).
        for mode in ("semantic", "hybrid"):
            out = json.loads(run("search", "revert a commit", "--data", data, "--mode", mode, "--json", check=0,
                                 cwd=self.tmp).stdout)
            self.assertEqual(out["mode"], mode)
            self.assertGreater(len(out["results"]), 0)
        out = json.loads(run("search", "revert a commit", "--data", data, "--json", check=0, cwd=self.tmp).stdout)
        self.assertEqual(out["mode"], "hybrid")
        s = json.loads(run("stats", "--data", data, "--json", check=0, cwd=self.tmp).stdout)
        self.assertTrue(s["semantic"]["available"], s["semantic"])
        self.assertEqual(s["semantic"]["embedder"], "http:stub")
        self.assertEqual(s["semantic"]["dims"], 8)
        # An unchanged re-ingest asks the server nothing new.
        self.assertEqual(self.ingest(data)["embedded"], 0)
        # Another server model is refused until reembed.
        p = run("search", "commit", "--data", data, "--embed-model", "stub:4", check=2, cwd=self.tmp)
        line = one_line_error(self, p)
        self.assertIn("mcdewey reembed", line)
        self.assertIn("--embedder http", line)
        # A library embedded over HTTP refuses the built-in model, and the other way round.
        model = os.path.join(self.tmp, "m.mcdwv")
        run("model", "convert", os.path.join(DATA, "embed", "tiny-wink.json"), model, check=0, cwd=self.tmp)
        for how in (["--embedder", "builtin"], []):  # an explicit --model means the built-in model
            p = run("search", "commit", "--data", data, *how, "--model", model, check=2, cwd=self.tmp)
            self.assertIn("mcdewey reembed", one_line_error(self, p))
        builtin_data = os.path.join(self.tmp, "builtin-data")
        self.assertGreater(self.ingest(builtin_data, "--model", model)["embedded"], 0)
        p = run("search", "commit", "--data", builtin_data, "--embedder", "http", "--embed-url", stub.url,
                "--embed-model", "stub", check=2, cwd=self.tmp)
        self.assertIn("mcdewey reembed", one_line_error(self, p))
        # reembed (auto) keeps a library on its HTTP embedder.
        p = run("reembed", "--data", data, check=0, cwd=self.tmp)
        self.assertIn("http:stub", p.stderr)

        # The server goes away: lexical still works, semantic says which server failed,
        # auto falls back to lexical.
        stub.stop()
        out = json.loads(run("search", "revert a commit", "--data", data, "--mode", "lexical", "--json", check=0,
                             cwd=self.tmp).stdout)
        self.assertGreater(len(out["results"]), 0)
        p = run("search", "revert a commit", "--data", data, "--mode", "semantic", check=2, cwd=self.tmp)
        self.assertIn(f"http://127.0.0.1:{stub.port}", one_line_error(self, p))
        p = run("search", "revert a commit", "--data", data, "--json", check=0, cwd=self.tmp)
        self.assertEqual(json.loads(p.stdout)["mode"], "lexical")
        self.assertIn("searched lexically", p.stderr)
        s = json.loads(run("stats", "--data", data, "--json", check=0, cwd=self.tmp).stdout)
        self.assertEqual(s["semantic"]["embedder"], "http:stub")

        # The server moved: --embed-url alone points the library at it (model from the record).
        moved = self.server()
        out = json.loads(run("search", "revert a commit", "--data", data, "--mode", "semantic", "--json",
                             "--embed-url", moved.url, check=0, cwd=self.tmp).stdout)
        self.assertEqual(out["mode"], "semantic")
        self.assertGreater(len(out["results"]), 0)

    def test_environment_and_api_key(self):
        stub = self.server()
        data = os.path.join(self.tmp, "env-data")
        env = {"MCDEWEY_EMBED_URL": stub.url, "MCDEWEY_EMBED_MODEL": "unauthorized", "STUB_KEY": "sk-stub-key"}
        summary = self.ingest(data, "--embedder", "http", "--embed-key-env", "STUB_KEY", "--embed-dims", "8",
                              env=env)
        self.assertGreater(summary["embedded"], 0)
        # The key is sent from the environment, never stored.
        with open(os.path.join(data, "mcdewey.db"), "rb") as f:
            self.assertNotIn(b"sk-stub-key", f.read())
        out = json.loads(run("search", "commit", "--data", data, "--mode", "semantic", "--json",
                             "--embed-key-env", "STUB_KEY", env={"STUB_KEY": "sk-stub-key"}, check=0,
                             cwd=self.tmp).stdout)
        self.assertGreater(len(out["results"]), 0)
        # Without the key the server says no, and the message says so.
        p = run("search", "commit", "--data", data, "--mode", "semantic", "--embed-key-env", "NO_SUCH_VAR", check=2,
                cwd=self.tmp)
        self.assertIn("API key", one_line_error(self, p))

    def test_missing_url_or_model_is_a_clear_error(self):
        data = os.path.join(self.tmp, "nothing")
        p = run("ingest", self.lib, "--data", data, "--embedder", "http", check=2, cwd=self.tmp)
        line = one_line_error(self, p)
        self.assertIn("--embed-url", line)
        self.assertIn("--embed-model", line)
        p = run("ingest", self.lib, "--data", data, "--embedder", "http", "--embed-url", "http://127.0.0.1:9/v1",
                check=2, cwd=self.tmp)
        self.assertIn("a model", one_line_error(self, p))
        p = run("ingest", self.lib, "--data", data, "--embedder", "http", "--embed-model", "stub", check=2,
                cwd=self.tmp)
        self.assertIn("a base URL", one_line_error(self, p))
        p = run("ingest", self.lib, "--data", data, "--embed-url", "ftp://x/v1", "--embed-model", "stub", check=2,
                cwd=self.tmp)
        self.assertIn("http://", one_line_error(self, p))


def main():
    global BINARY, DATA
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--data", required=True, help="tests/data")
    args, rest = ap.parse_known_args()
    BINARY, DATA = os.path.abspath(args.binary), os.path.abspath(args.data)
    unittest.main(argv=[sys.argv[0], "-v", *rest])


if __name__ == "__main__":
    main()
