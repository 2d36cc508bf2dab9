#!/usr/bin/env python3
"""A held-out retrieval check built the way DEV was, from a FAQ that DEV does not use.

Bacula's "Problem Resolution Guide" (../shared/corpus/bacula/9.6.7/problems.pdf) opens with a
FAQ (chapter 1) and tips (chapter 2). This script takes that manual's text as McDewey extracted
it (from an ingested library), makes each section title a query and the section's text its
answer, and writes a copy of the corpus in which the manual is replaced by its text with every
title removed (headings and table of contents), so a title can only be found through its answer.
Scoring uses ../shared/bench/score.py unchanged.

    python3 bench/heldout_faq.py --library DATA --corpus ../shared/corpus --out OUT
    ./build/src/mcdewey ingest OUT/corpus --data OUT/data
    ./build/src/mcdewey search --batch OUT/queries.jsonl --data OUT/data --limit 10 > OUT/results.jsonl
    python3 ../shared/bench/score.py OUT/queries.jsonl OUT/results.jsonl
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import sys

MANUAL = os.path.join("bacula", "9.6.7", "problems")  # product/version/doc in the library


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--library", required=True, help="data dir of a library that ingested the corpus")
    ap.add_argument("--corpus", default="../shared/corpus", help="the corpus to copy (default ../shared/corpus)")
    ap.add_argument("--out", required=True, help="output dir: corpus/ and queries.jsonl (replaced)")
    ap.add_argument("--min-words", type=int, default=25, help="skip sections with shorter answers (default 25)")
    a = ap.parse_args()

    src = os.path.join(a.library, "library", MANUAL, "problems.md")
    pdf = os.path.join(a.corpus, "bacula", "9.6.7", "problems.pdf")
    for path in (src, pdf):
        if not os.path.exists(path):
            sys.exit(f"heldout_faq: {path} not found")
    lines = open(src, encoding="utf-8").read().split("\n")
    heads, fenced = [], False  # markdown headings outside code fences
    for i, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,6} ", line):
            heads.append((i, line))
    queries, titles = [], set()
    for k, (i, line) in enumerate(heads):
        m = re.match(r"## ([12])\.(\d+) (.+)$", line)  # "## 1.35 How do I tell the Job which Volume to use?"
        if not m:
            continue
        title = m.group(3).strip()
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        body = "\n".join(l for l in lines[i + 1:end] if l.strip().lower().lstrip("# ").strip() != title.lower())
        body = re.sub(re.escape(title), "", body, flags=re.I)
        if len(body.split()) < a.min_words:
            continue
        titles.add(title.lower())
        queries.append({"id": "bacula-" + hashlib.sha1(title.encode()).hexdigest()[:10], "question": title,
                        "answer_text": body, "product_key": "bacula", "vendor": "Bacula project (Kern Sibbald)",
                        "version": "9.6.7", "question_form": "question" if title.endswith("?") else "title"})
    if not queries:
        sys.exit(f"heldout_faq: no numbered sections found in {src}")
    pattern = re.compile("|".join(re.escape(t) for t in sorted(titles, key=len, reverse=True)), re.I)
    kept = []
    for line in lines:
        cut = pattern.sub("", line)
        if cut != line and re.fullmatch(r"[#\s\d.\-]*", cut):
            continue  # a heading or a contents line with nothing left
        kept.append(cut)

    corpus_out = os.path.join(a.out, "corpus")
    if os.path.exists(corpus_out):
        shutil.rmtree(corpus_out)
    shutil.copytree(a.corpus, corpus_out)
    os.remove(os.path.join(corpus_out, "bacula", "9.6.7", "problems.pdf"))
    with open(os.path.join(corpus_out, "bacula", "9.6.7", "problems.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(kept))
    with open(os.path.join(a.out, "queries.jsonl"), "w", encoding="utf-8") as f:
        for q in queries:
            f.write(json.dumps(q) + "\n")
    print(f"{len(queries)} queries ({sum(q['question_form'] == 'question' for q in queries)} questions), "
          f"{len(lines) - len(kept)} title lines removed -> {a.out}")


if __name__ == "__main__":
    main()
