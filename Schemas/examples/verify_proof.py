#!/usr/bin/env python3
"""Checks a SchoolLedger Merkle proof with nothing but Python's standard library.

The log is a Merkle tree in the shape of RFC 9162 (section 2.1): leaf i is the
record at position i + 1, its input the record's chain hash; a leaf hashes as
SHA-256(0x00 || input), an inner node as SHA-256(0x01 || left || right).

    verify_proof.py PROOF.json [--head HEAD.json [--head NEWER.json]] [--public-key KEY]
    verify_proof.py EXTRACT.html|EXTRACT.txt [--public-key KEY]

With --head (the JSON `schoolledger head --sign` writes), the proof must
also be about that signed head's tree: an inclusion proof's size and root
equal the head's `tree`; a consistency proof's old and new trees equal the
first and the second head's. The head's Ed25519 signature is checked when
Python's `cryptography` package is present (Debian: python3-cryptography),
against --public-key (base64, as `schoolledger keygen` prints it) or, when
none is given, the key the head file names (which proves less: say so).
Without `cryptography` the signature is not checked, and the script says so.

PROOF.json is one of (hex strings for hashes):

    {"kind": "inclusion", "treeSize": N, "leafIndex": I, "recordHash": "...",
     "path": ["...", ...], "root": "..."}
    {"kind": "consistency", "oldSize": M, "oldRoot": "...", "newSize": N,
     "newRoot": "...", "path": ["...", ...]}

    {"kind": "extract", "head": {signed head}, "records": [{"position": P,
     "record": "<base64>", "proof": {inclusion proof}}, ...]}

The last is what a paper extract carries (`schoolledger extract --head`):
PROOF may then be the extract itself, HTML or text, whose proofs sit
between "-----BEGIN SCHOOLLEDGER PROOFS-----" and "-----END ...". Each
record's bytes must hash to the proof's record hash, and each proof must
hold against the signed head the bundle carries; the script prints what
each record is (type, stream, actor, when it happened).

Prints "valid" and exits 0, or prints why not and exits 1. The rules are
RFC 9162's sections 2.1.3.2 and 2.1.4.2, written out again here so that an
auditor needs neither Swift nor this project to check a proof.
"""
import base64
import datetime
import hashlib
import json
import sys


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(record_hash, index, size, path, root):
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf_hash(record_hash)
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(old_size, old_root, new_size, new_root, path):
    if old_size == 0 or old_size > new_size:
        return False
    if old_size == new_size:
        return not path and old_root == new_root
    if not path:
        return False
    path = list(path)
    if old_size & (old_size - 1) == 0:
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


def signed_text(head):
    """The bytes a SchoolLedger signed head's signature covers (its v1 or v2 text form)."""
    h = head["head"]
    tree = head.get("tree")
    text = "schoolledger-head-v%d\n%s\n%s\n%s\n%s\n" % (
        2 if tree else 1, h["position"], h["hash"], h.get("recordedAt") or "-", head["signedAt"])
    if tree:
        text += "tree %s %s\n" % (tree["size"], tree["root"])
    for c in head.get("checkpoints", []):
        text += "%s %s\n" % (c["position"], c["hash"])
    return text.encode("utf-8")


def check_signature(head, public_key):
    """None when the signature holds, else why not (or why it was not checked)."""
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        return "not checked: Python's cryptography package is missing (Debian: python3-cryptography)"
    key = public_key or head["publicKey"]
    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(key)).verify(
            base64.b64decode(head["signature"]), signed_text(head))
    except (InvalidSignature, ValueError):
        return "invalid: the head's signature does not verify with the public key"
    return None


BEGIN, END = "-----BEGIN SCHOOLLEDGER PROOFS-----", "-----END SCHOOLLEDGER PROOFS-----"


def load(path):
    """The proof in a JSON file, or the proofs an extract (HTML or text) carries."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if BEGIN in text:
        text = text.split(BEGIN, 1)[1].split(END, 1)[0]
    return json.loads(text)


def record_fields(data):
    """The top-level fields of an eventledger.v1.Record: {number: value}
    (strings decoded, sfixed64 as integers); None when the bytes are no message."""
    fields, i = {}, 0

    def varint():
        nonlocal i
        value, shift = 0, 0
        while i < len(data):
            byte = data[i]
            i += 1
            value |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return value
            shift += 7
        raise ValueError("truncated varint")
    try:
        while i < len(data):
            key = varint()
            number, wire = key >> 3, key & 7
            if wire == 0:
                fields[number] = varint()
            elif wire == 1:
                fields[number] = int.from_bytes(data[i:i + 8], "little", signed=True)
                i += 8
            elif wire == 2:
                length = varint()
                fields[number] = data[i:i + length]
                i += length
            else:
                return None
    except ValueError:
        return None
    return fields


def when(microseconds):
    """An instant in microseconds since 1970 as UTC text."""
    if not isinstance(microseconds, int):
        return "?"
    instant = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(microseconds=microseconds)
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def check_extract(bundle, public_key):
    """Checks every record of an extract's bundle; returns the exit status."""
    head = bundle["head"]
    status = check_head(head, public_key)
    if status:
        return status
    tree = head["tree"]
    bad = 0
    for item in bundle["records"]:
        proof, position = item["proof"], int(item["position"])
        data = base64.b64decode(item["record"])
        fields = record_fields(data) or {}
        what = "position %d: %s on %s by %s, occurred %s" % (
            position, fields.get(5, b"?").decode("utf-8", "replace"), fields.get(3, b"?").decode("utf-8", "replace"),
            fields.get(7, b"?").decode("utf-8", "replace"), when(fields.get(8)))
        problems = []
        if hashlib.sha256(data).hexdigest() != proof["recordHash"]:
            problems.append("the record's bytes do not hash to the proof's record hash")
        if fields.get(1) != position or int(proof["leafIndex"]) + 1 != position:
            problems.append("the record, its proof and its position disagree")
        if int(proof["treeSize"]) != int(tree["size"]) or proof["root"] != tree["root"]:
            problems.append("the proof is not about the signed head's tree")
        elif not verify_inclusion(bytes.fromhex(proof["recordHash"]), int(proof["leafIndex"]), int(proof["treeSize"]),
                                  [bytes.fromhex(h) for h in proof["path"]], bytes.fromhex(proof["root"])):
            problems.append("the proof does not lead to the signed root")
        print(("invalid: " + "; ".join(problems) + ": " if problems else "valid: ") + what)
        bad += bool(problems)
    if not bundle["records"]:
        print("the extract names no record")
    print("valid: %d record(s) of the extract are in the signed log" % len(bundle["records"]) if not bad
          else "invalid: %d of %d record(s) fail" % (bad, len(bundle["records"])))
    return 1 if bad else 0


def check_head(head, public_key):
    """Prints what the head's signature says; 1 when it is invalid or has no tree, else None."""
    if not head.get("tree"):
        print("invalid: the head file has no tree (signed before proofs existed): sign a new head")
        return 1
    problem = check_signature(head, public_key)
    if problem and problem.startswith("invalid"):
        print(problem)
        return 1
    if problem:
        print("signature " + problem)
    elif not public_key:
        print("signature valid for the key the head file names (give --public-key to pin the signer)")
    else:
        print("signature valid")
    return None


def main(argv):
    args, heads, public_key = [], [], None
    i = 1
    while i < len(argv):
        if argv[i] in ("--head", "--public-key") and i + 1 < len(argv):
            if argv[i] == "--head":
                with open(argv[i + 1], encoding="utf-8") as f:
                    heads.append(json.load(f))
            else:
                public_key = argv[i + 1]
            i += 2
        else:
            args.append(argv[i])
            i += 1
    if len(args) != 1 or len(heads) > 2:
        print("usage: verify_proof.py PROOF.json|EXTRACT [--head HEAD.json [--head NEWER.json]] [--public-key KEY]", file=sys.stderr)
        return 2
    proof = load(args[0])
    if proof.get("kind") == "extract":
        if heads:
            print("an extract carries its own signed head: give only --public-key", file=sys.stderr)
            return 2
        return check_extract(proof, public_key)
    for head in heads:
        status = check_head(head, public_key)
        if status:
            return status
    if heads:
        if proof["kind"] == "inclusion":
            trees = [(proof["treeSize"], proof["root"])]
        else:
            # One head: the newer tree; two: the older, then the newer.
            trees = [(proof["oldSize"], proof["oldRoot"]), (proof["newSize"], proof["newRoot"])][-len(heads):]
        for head, (size, root) in zip(heads, trees):
            if int(head["tree"]["size"]) != int(size) or head["tree"]["root"] != root:
                print("invalid: the proof is about a tree of %s records with root %s, the head's is of %s with root %s"
                      % (size, root, head["tree"]["size"], head["tree"]["root"]))
                return 1
    path = [bytes.fromhex(h) for h in proof["path"]]
    if proof["kind"] == "inclusion":
        ok = verify_inclusion(bytes.fromhex(proof["recordHash"]), int(proof["leafIndex"]), int(proof["treeSize"]),
                              path, bytes.fromhex(proof["root"]))
        what = "record %s at leaf %s of %s" % (proof["recordHash"], proof["leafIndex"], proof["treeSize"])
    elif proof["kind"] == "consistency":
        ok = verify_consistency(int(proof["oldSize"]), bytes.fromhex(proof["oldRoot"]), int(proof["newSize"]),
                                bytes.fromhex(proof["newRoot"]), path)
        what = "the tree of %s leaves as the start of the tree of %s" % (proof["oldSize"], proof["newSize"])
    else:
        print("unknown proof kind %r: expected inclusion or consistency" % proof["kind"])
        return 1
    print("valid" if ok else "invalid: the proof does not show " + what)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
