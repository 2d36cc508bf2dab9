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

BINARY = None
DATA = None


def run(*args, check=None, stdin=None, env=None):
    p = subprocess.run([BINARY, *args], capture_output=True, text=True, input=stdin, timeout=240,
                       env={**os.environ, "NO_COLOR": "1", **(env or {})})
    if check is not None and p.returncode != check:
        raise AssertionError(f"{args} exited {p.returncode}, wanted {check}\nstdout: {p.stdout}\nstderr: {p.stderr}")
    return p


class CliTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="mcdewey-cli-")
        cls.lib = os.path.join(cls.tmp, "src")
        shutil.copytree(os.path.join(DATA, "library"), cls.lib)
        for root, dirs, files in os.walk(cls.lib):
            for f in files:
                os.chmod(os.path.join(root, f), 0o644)
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
