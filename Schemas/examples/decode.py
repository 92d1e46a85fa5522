"""Decode a SchoolLedger export and its raw stored records with Schemas/ alone.

    protoc --proto_path=Schemas --python_out=/tmp/pb $(find Schemas -name '*.proto')
    PYTHONPATH=/tmp/pb python3 Schemas/examples/decode.py export.jsonl
    mdb_dump -s ledger.log LEDGER_DIR | PYTHONPATH=/tmp/pb python3 Schemas/examples/decode.py --raw
"""
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


def decode_raw(dump):
    # mdb_dump prints a header, then each key and each value on its own
    # line in hex, indented by one space. The value is an eventledger.v1.Record
    # whose payload is an Envelope with only the event set.
    data = [line.strip() for line in dump if line.startswith(" ")]
    for value in data[1::2]:
        record = record_pb2.Record.FromString(bytes.fromhex(value))
        show(record.position, record.type, record.actor, envelope_pb2.Envelope.FromString(record.payload))


if __name__ == "__main__":
    if sys.argv[1:] == ["--raw"]:
        decode_raw(sys.stdin)
    else:
        decode_export(sys.argv[1])
