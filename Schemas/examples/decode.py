"""Decode a SchoolLedger export and its raw stored records with Schemas/ alone.

    protoc --proto_path=Schemas --python_out=/tmp/pb $(find Schemas -name '*.proto')
    PYTHONPATH=/tmp/pb python3 Schemas/examples/decode.py export.jsonl
    mdb_dump -s ledger.log LEDGER_DIR | PYTHONPATH=/tmp/pb python3 Schemas/examples/decode.py --raw
"""
import hashlib
import sys

from google.protobuf import json_format

from eventledger.v1 import record_pb2
from schoolledger.v1 import envelope_pb2


def show(position, type_name, actor, envelope):
    case = envelope.WhichOneof("payload")
    event = getattr(envelope, case)
    print(position, type_name, actor, case, json_format.MessageToJson(event, indent=None))


def decode_export(path):
    # One schoolledger.v1.Envelope per line, in protobuf's JSON mapping.
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            envelope = json_format.Parse(line, envelope_pb2.Envelope())
            show(envelope.position, envelope.type, envelope.actor, envelope)


def varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def decode_raw(dump):
    # mdb_dump prints a header, then each key and each value on its own
    # line in hex, indented by one space. The key is the position (8 bytes,
    # big-endian); the value is an eventledger.v1.Record whose payload is an
    # Envelope with only the event set. Each record's hash is checked: SHA-256
    # over the record as format 1 stores it up to its hash (format 2 leaves
    # out the position and the previous hash, which are added back here).
    data = [line.strip() for line in dump if line.startswith(" ")]
    previous = bytes(32)
    for key, value in zip(data[0::2], data[1::2]):
        position, stored = int(key, 16), bytes.fromhex(value)
        record = record_pb2.Record.FromString(stored)
        body = stored[: -len(record.hash) - 3]  # the hash field is last: tag (2 bytes), length, 32 bytes
        if not record.previous_hash:  # format 2
            body = b"\x08" + varint(position) + body + b"\x7a\x20" + previous
        if hashlib.sha256(body).digest() != record.hash:
            sys.exit(f"position {position}: the record does not match its hash")
        previous = record.hash
        show(position, record.type, record.actor, envelope_pb2.Envelope.FromString(record.payload))


if __name__ == "__main__":
    if sys.argv[1:] == ["--raw"]:
        decode_raw(sys.stdin)
    else:
        decode_export(sys.argv[1])
