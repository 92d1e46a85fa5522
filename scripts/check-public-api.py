#!/usr/bin/env python3
"""The libraries' public API, from the compiler's symbol graphs.

Fails when a public symbol of EventLedger or SchoolLedger names a type of
LMDB (LedgerLMDB, CLedgerLMDB, `MDB_*`) or of the generated wire code
(`Schoolledger_V1_*`, SwiftProtobuf), and prints how many public
declarations each library has.

A declaration is what the source declares `public`: a type, a property, a
method, an initialiser, a typealias. Enum cases are counted apart (they
take their enum's access level and are part of its declaration), and so is
nothing the compiler writes: synthesised members (`==`, `hash(into:)`,
`init(from:)`, protocol defaults) have no place in the source. The limit
applies to declarations; it was set on the same measure (`public` lines of
Swift) when SchoolLedger had 2,428.

    scripts/check-public-api.py [BIN_PATH]    (default: swift build --show-bin-path)
"""
import json
import os
import subprocess
import sys
import tempfile

LIMIT = {"SchoolLedger": 1200}
FORBIDDEN = ("LMDB", "MDB_", "Schoolledger_V1_", "SwiftProtobuf", "Google_Protobuf_")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def bin_path():
    if len(sys.argv) > 1:
        return sys.argv[1]
    out = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, check=True, capture_output=True, text=True)
    return out.stdout.strip()


def triple():
    out = subprocess.run(["swift", "-print-target-info"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)["target"]["triple"]


def symbols(module, modules, target, out):
    subprocess.run(
        ["swift-symbolgraph-extract", "-module-name", module, "-I", modules,
         "-I", os.path.join(ROOT, "Sources", "CLedgerLMDB"), "-target", target,
         "-minimum-access-level", "public", "-output-dir", out],
        check=True)
    found = []
    for name in sorted(os.listdir(out)):
        if name == module + ".symbols.json" or name.startswith(module + "@"):
            with open(os.path.join(out, name)) as f:
                found.append((name, json.load(f)["symbols"]))
    return found


def named_types(symbol):
    """Every type the declaration names (its fragments' type identifiers)."""
    for fragment in symbol.get("declarationFragments", []):
        if fragment.get("kind") == "typeIdentifier":
            yield fragment.get("spelling", ""), fragment.get("preciseIdentifier", "")


def main():
    modules = os.path.join(bin_path(), "Modules")
    target = triple()
    failures = []
    for module in ("EventLedger", "SchoolLedger"):
        with tempfile.TemporaryDirectory() as out:
            graphs = symbols(module, modules, target, out)
        declared = 0
        cases = 0
        for file, syms in graphs:
            for s in syms:
                path = ".".join(s["pathComponents"])
                for spelling, precise in named_types(s):
                    if any(word in spelling or word in precise for word in FORBIDDEN):
                        failures.append(f"{module}: public {path} names {spelling} ({file})")
                if any(word in path for word in FORBIDDEN):
                    failures.append(f"{module}: public symbol {path} ({file})")
                written = "::SYNTHESIZED::" not in s["identifier"]["precise"] and "location" in s
                if file == module + ".symbols.json" and written:
                    if s["kind"]["identifier"] == "swift.enum.case":
                        cases += 1
                    else:
                        declared += 1
        limit = LIMIT.get(module)
        print(f"{module}: {declared} public declarations and {cases} enum cases"
              + (f" (declarations must stay under {limit})" if limit else ""))
        if limit and declared >= limit:
            failures.append(f"{module}: {declared} public declarations, the limit is under {limit}: "
                            "make what only the package uses `package` or internal")
    for failure in failures:
        print("public API: " + failure, file=sys.stderr)
    if failures:
        sys.exit(1)
    print("public API: no LMDB or wire type in EventLedger's or SchoolLedger's public symbols")


main()
