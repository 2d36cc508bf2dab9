#!/usr/bin/env python3
"""Writes tiny-wink.json: a SYNTHETIC word-vector file in the wink-embeddings JSON format.

The words are real English/technical words, the vectors are NOT real: each topic (telephony,
security, dns, network) gets a random centroid and its words are centroid + noise; function
words share one "common" direction plus noise; filler words are random. Deterministic
(seeded). Regenerate with:  python3 tests/data/embed/make_fixture.py
"""
import json
import math
import os
import random

DIMS = 16
rng = random.Random(20261204)

STOP = ("the of and to in is for on with as by this that be are it from or an at can you your not "
        "when which use set all if each see how do does more must then also only into about").split()
TOPICS = {
    "telephony": ("call phone voicemail extension dial ring trunk caller pbx handset speaker conference "
                  "transfer hold line ringtone dialplan callee busy forward hunt pickup directory codec "
                  "voice video softphone headset mute intercom").split(),
    "security": ("password certificate encryption key authentication login token credential secure cipher "
                 "tls ssl trust signature hash account permission role admin privilege ticket realm "
                 "revoke expire sign verify").split(),
    "dns": ("domain zone record resolver query cache address forwarder lookup nameserver hostname "
            "recursion delegation serial transfer ttl reverse primary secondary glue").split(),
    "network": ("router switch packet interface vlan port routing ethernet subnet gateway bandwidth "
                "latency link frame mtu bridge trunking spanning multicast broadcast").split(),
}
FILLER = ("house music river city garden kitchen winter summer football painting novel movie actor "
          "village farmer island mountain forest ocean holiday breakfast dinner teacher student school "
          "church king queen army battle election president minister market price economy bank money "
          "weather rain snow wind sun moon star planet animal horse dog cat bird fish tree flower "
          "kerberos jabber server user system file version support feature guide").split()


def gauss_vec(scale):
    return [rng.gauss(0.0, scale) for _ in range(DIMS)]


common = gauss_vec(1.0)
vectors = {}
words = []


def add(word, vec):
    if word in vectors:
        return
    words.append(word)
    vectors[word] = vec


for w in STOP:
    add(w, [0.8 * c + n for c, n in zip(common, gauss_vec(0.3))])
centroids = {t: gauss_vec(1.0) for t in TOPICS}
# Interleave topic and filler words so ranks are mixed, as in a real frequency list.
pool = [(w, t) for t, ws in TOPICS.items() for w in ws] + [(w, None) for w in FILLER]
rng.shuffle(pool)
for w, t in pool:
    if t is None:
        add(w, gauss_vec(1.0))
    else:
        add(w, [0.3 * cm + c + n for cm, c, n in zip(common, centroids[t], gauss_vec(0.35))])

out = {"precision": 5, "l2NormIndex": DIMS, "wordIndex": DIMS + 1, "size": len(words), "dimensions": DIMS,
       "words": words, "vectors": {}}
for i, w in enumerate(words):
    v = [round(x, 5) for x in vectors[w]]
    out["vectors"][w] = v + [round(math.sqrt(sum(x * x for x in v)), 5), i]
out["unkVector"] = [0] * DIMS + [0, -1]
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tiny-wink.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {path}: {len(words)} words, {DIMS} dims")
