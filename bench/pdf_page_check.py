#!/usr/bin/env python3
"""Spot-check PDF citations: for the top hit of queries over PDF manuals, is the cited page right?

For each hit, the first words of the chunk (as they stand in the canonical copy after its page
marker) are looked up in `pdftotext -f N -l N` of the original PDF, N being the cited page, and
for comparison on pages N-1 and N+1.

    python3 bench/pdf_page_check.py DATA_DIR [MCDEWEY_BINARY]
"""
import json
import os
import re
import subprocess
import sys

QUERIES = [
    ("mit-kerberos", "create a keytab with kadmin ktadd"),
    ("bacula", "restore files from a tape volume"),
    ("drbd", "split brain automatic recovery policies"),
    ("gnutls", "verify a certificate chain against trusted CAs"),
    ("firehol", "router statement interfaces inface outface"),
    ("fireqos", "class rate ceil commit"),
    ("dibbler", "client configuration file options"),
    ("bird", "OSPF area configuration stub"),
    ("kannel", "SMS center connection configuration smsc"),
    ("libgcrypt", "random number generator quality levels"),
    ("debian-installation-guide", "partitioning the disk with guided LVM"),
    ("d-itg", "generate UDP traffic with ITGSend"),
]


def words(s):
    return re.findall(r"[a-z0-9]+", s.lower())


def page_text(pdf, n):
    if n < 1:
        return ""
    p = subprocess.run(["pdftotext", "-q", "-f", str(n), "-l", str(n), pdf, "-"], capture_output=True, text=True)
    return p.stdout


def found(needle, hay):
    """Share of the needle's word 3-grams present in the haystack."""
    n, h = words(needle), words(hay)
    grams = {tuple(n[i:i + 3]) for i in range(max(0, len(n) - 2))}
    have = {tuple(h[i:i + 3]) for i in range(max(0, len(h) - 2))}
    return len(grams & have) / len(grams) if grams else 0.0


def main():
    data = sys.argv[1]
    binary = sys.argv[2] if len(sys.argv) > 2 else "./build/src/mcdewey"
    lib = os.path.join(data, "library")
    right = checked = 0
    for product, q in QUERIES:
        p = subprocess.run([binary, "search", q, "--product", product, "--json", "--limit", "1", "--data", data],
                           capture_output=True, text=True)
        if p.returncode != 0 or not json.loads(p.stdout)["results"]:
            print(f"{product:28} no result for {q!r}")
            continue
        hit = json.loads(p.stdout)["results"][0]
        if hit["page"] <= 0:
            print(f"{product:28} {hit['chunk_id']}: not a paged document")
            continue
        base = os.path.join(lib, hit["source"][:-3])
        pdf = base + ".pdf"
        # The chunk's text on its first page: up to the first page marker in the canonical copy.
        md = open(base + ".md", encoding="utf-8").read()
        body = hit["text"]
        start = md.find(body[:80])
        first_page = md[start:start + len(body) + 2000] if start >= 0 else body
        first_page = re.split(r"<!-- page \d+", first_page)[0]
        lines = [l for l in first_page.splitlines() if l.strip() and not l.startswith("#")]
        sample = " ".join(" ".join(lines).split()[:40])
        n = hit["page"]
        scores = {k: found(sample, page_text(pdf, k)) for k in (n - 1, n, n + 1)}
        ok = scores[n] >= 0.5 and scores[n] >= max(scores.values())
        checked += 1
        right += ok
        label = f" (label {hit['page_label']})" if hit.get("page_label") else ""
        print(f"{product:28} page {n}{label}: overlap {scores[n]:.2f} (page {n-1}: {scores[n-1]:.2f}, "
              f"page {n+1}: {scores[n+1]:.2f}) {'OK' if ok else 'WRONG'}  {hit['chunk_id']}")
    print(f"\n{right}/{checked} cited pages confirmed by pdftotext")
    return 0 if checked and right == checked else 1


if __name__ == "__main__":
    sys.exit(main())
