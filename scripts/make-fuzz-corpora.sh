#!/usr/bin/env bash
# Regenerates the fuzz targets' seed school and corpora (Fuzz/Seed, Fuzz/Corpus)
# from a fresh demo ledger. Needs the package built (make build), mdb_dump
# (lmdb-utils), protoc and python3-protobuf (make deps installs them all).
#
#   scripts/make-fuzz-corpora.sh
#
# record/  one file per stored record of the demo: the 8-byte big-endian key
#          followed by the value, as ledger.log holds them.
# import/  runs of 1, 2 and 5 consecutive lines of the demo's JSON Lines export.
# command/ one command per event of the demo, its ledger-set fields removed:
#          a 0x01 byte then JSON, and a 0x00 byte then binary protobuf.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$root"
swift run schoolledger demo --ledger "$work/ledger" > /dev/null
swift run schoolledger export --ledger "$work/ledger" --output "$root/Fuzz/Seed/school.jsonl"
mdb_dump -s ledger.log "$work/ledger" > "$work/log.dump"
mkdir -p "$work/py"
protoc -I Schemas --python_out="$work/py" Schemas/schoolledger/v1/*.proto

rm -rf Fuzz/Corpus && mkdir -p Fuzz/Corpus/record Fuzz/Corpus/import Fuzz/Corpus/command
PYTHONPATH="$work/py" /usr/bin/python3 - "$work/log.dump" "$root/Fuzz/Seed/school.jsonl" "$root/Fuzz/Corpus" <<'PY'
import sys, os
from google.protobuf import json_format
from schoolledger.v1 import envelope_pb2

dump, seed, corpus = sys.argv[1:4]
# mdb_dump: a header up to HEADER=END, then key and value lines of hex, each
# starting with a space, until DATA=END.
lines = open(dump).read().split("HEADER=END\n", 1)[1].split("DATA=END", 1)[0].split("\n")
pairs = [l.strip() for l in lines if l.startswith(" ")]
for n in range(0, len(pairs) - 1, 2):
    with open(f"{corpus}/record/record-{n // 2 + 1:03}", "wb") as f:
        f.write(bytes.fromhex(pairs[n]) + bytes.fromhex(pairs[n + 1]))

events = open(seed, encoding="utf-8").read().splitlines()
for size in (1, 2, 5):
    for start in range(0, len(events), size * 3):
        with open(f"{corpus}/import/lines-{size}-{start + 1:03}.jsonl", "w", encoding="utf-8") as f:
            f.write("\n".join(events[start:start + size]) + "\n")

ledger_set = ["position", "stream_version", "recorded_at", "previous_hash", "hash",
              "previous_in_stream", "previous_by_actor"]
for n, line in enumerate(events, 1):
    envelope = envelope_pb2.Envelope()
    json_format.Parse(line, envelope)
    for field in ledger_set:
        envelope.ClearField(field)
    with open(f"{corpus}/command/json-{n:03}", "wb") as f:
        f.write(b"\x01" + json_format.MessageToJson(envelope, indent=None).encode("utf-8"))
    with open(f"{corpus}/command/binary-{n:03}", "wb") as f:
        f.write(b"\x00" + envelope.SerializeToString())
PY
echo "corpora: $(ls Fuzz/Corpus/record | wc -l) records, $(ls Fuzz/Corpus/import | wc -l) import files, $(ls Fuzz/Corpus/command | wc -l) commands"
