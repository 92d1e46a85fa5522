#!/usr/bin/python3
"""Generates the Swift event catalog from the schemas' descriptor set.

    scripts/generate-catalog.py DESCRIPTOR_SET OUTPUT_SWIFT

Run by scripts/generate-schemas.sh after protoc (Debian's python3-protobuf
reads the descriptors). From the `payload` oneof of
`schoolledger.v1.Envelope`, in its order, it writes:

- `SchoolEvent`, one case a oneof field, each with the field's comment;
- `SchoolEvent.allEventTypes`, and `EventKind`: the event types without
  their fields, which every decision about an event type switches over
  exhaustively (its right in AccessPolicy, its reference rule in
  ReferenceRules, what the journal index does with it), so that a new event
  type does not compile until each decision is made;
- the switches between `SchoolEvent` and the stored oneof, and each event
  struct's `eventType`.

An event struct is the Swift face of its message, kept by hand
(`Sources/SchoolLedger/Events/<Area>/<Message>.swift`: its fields, typed ids,
closed sets as enums, its stream and field rules). Its stored form both ways
(`init(stored:schemaVersion:)` and `stored`) is generated into
`SchoolEvent+StoredForms.swift` beside OUTPUT_SWIFT: each proto field is
read into, and written from, the struct's property of the same name through
that property's type's `StoredField` conformance. An event whose properties
do not match its message's fields one to one (an upcast from an older schema
version, a field spread over several properties) keeps a hand-written
`init(stored:schemaVersion:)` and `stored` in its file, and the script leaves
it out. For a message that has no struct yet, the script writes a first draft
under `Events/New/`: the fields it can map by type (strings, typed ids,
integers, booleans), so the build fails until someone writes the event's
stream and field rules and adds the fields the draft left out.
"""
import os
import re
import sys

from google.protobuf import descriptor_pb2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EVENTS = os.path.join(ROOT, "Sources", "SchoolLedger", "Events")
ENVELOPE = "schoolledger/v1/envelope.proto"


def camel(snake, upper=False):
    parts = snake.split("_")
    head = parts[0] if not upper else parts[0].capitalize()
    return head + "".join(p.capitalize() for p in parts[1:])


def swift_field_name(snake):
    """protoc-gen-swift's property name, with `ID` as this library writes ids."""
    name = camel(snake)
    return re.sub(r"Id$", "ID", re.sub(r"Ids$", "IDs", name))


def stored_accessor(snake):
    """protoc-gen-swift's accessor: `student_id` is `studentID`, `student_ids` is `studentIds`."""
    return re.sub(r"Id$", "ID", camel(snake))


def comment(files, file_name, path):
    for f in files:
        if f.name != file_name:
            continue
        for loc in f.source_code_info.location:
            if list(loc.path) == path:
                # A line starting with `---` heads a group of fields, not this one.
                lines = [line.strip() for line in loc.leading_comments.strip().splitlines()]
                return " ".join(line for line in lines if not line.startswith("---"))
    return ""


def known_structs():
    found = set()
    for folder, _, names in os.walk(EVENTS):
        for name in names:
            if name.endswith(".swift"):
                text = open(os.path.join(folder, name), encoding="utf-8").read()
                found.update(re.findall(r"^public struct (\w+): \w*Event\b", text, re.M))
    return found


def id_types():
    text = open(os.path.join(ROOT, "Sources", "SchoolLedger", "Values", "Identifier.swift"), encoding="utf-8").read()
    return set(re.findall(r"^public typealias (\w+ID) = Identifier<", text, re.M))


def draft(message, files, file_name, message_index):
    """A first draft of the event struct for a message that has none."""
    ids = id_types()
    fields, left = [], []
    for n, field in enumerate(message.field):
        name = swift_field_name(field.name)
        doc = comment(files, file_name, [4, message_index, 2, n]) or f"`{field.name}`."
        repeated = field.label == descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED
        scalar = {
            descriptor_pb2.FieldDescriptorProto.TYPE_STRING: "String",
            descriptor_pb2.FieldDescriptorProto.TYPE_UINT32: "Int",
            descriptor_pb2.FieldDescriptorProto.TYPE_UINT64: "UInt64",
            descriptor_pb2.FieldDescriptorProto.TYPE_INT32: "Int32",
            descriptor_pb2.FieldDescriptorProto.TYPE_INT64: "Int64",
            descriptor_pb2.FieldDescriptorProto.TYPE_BOOL: "Bool",
        }.get(field.type)
        if scalar is None:
            left.append(f"{field.name} ({field.type_name.split('.')[-1] or 'bytes'})")
            continue
        typed = camel(field.name.removesuffix("_ids").removesuffix("_id"), upper=True) + "ID"
        if scalar == "String" and field.name.endswith(("_id", "_ids")) and typed in ids:
            swift = f"[{typed}]" if repeated else typed
        else:
            swift = f"[{scalar}]" if repeated else scalar
        fields.append((name, swift, doc))
    title = comment(files, file_name, [4, message_index]) or f"The event `{message.name}`."
    lines = ["// A first draft written by scripts/generate-catalog.py: complete it, move it to", "// Events/<Area>/ and own it.", ""]
    lines.append(f"/// {title}")
    lines.append(f"public struct {message.name}: CatalogEvent {{")
    for name, swift, doc in fields:
        lines += [f"    /// {doc}", f"    public var {name}: {swift}"]
    lines += ["", "    /// Creates the event.", "    public init(" + ", ".join(f"{n}: {t}" for n, t, _ in fields) + ") {"]
    lines += [f"        self.{n} = {n}" for n, _, _ in fields]
    lines += ["    }"]
    if left:
        lines += ["", "    // Fields this draft could not map; add them by hand: " + ", ".join(left) + "."]
    lines += ["}", ""]
    return "\n".join(lines)


def stored_properties(message):
    """The struct's file and its stored properties (name -> Swift type), in order."""
    for folder, _, names in os.walk(EVENTS):
        for name in names:
            if not name.endswith(".swift"):
                continue
            path = os.path.join(folder, name)
            text = open(path, encoding="utf-8").read()
            if re.search(rf"^public struct {message}: \w*Event\b", text, re.M):
                props = re.findall(r"^    public var (\w+): ([^{=\n]+?)\s*$", text, re.M)
                return path, text, dict(props)
    return None, "", {}


def stored_forms(events, messages):
    """The generated stored forms, and the events left to their hand-written ones."""
    out = [
        "// Generated by scripts/generate-schemas.sh (scripts/generate-catalog.py) from",
        "// Schemas/schoolledger/v1 and the event structs' properties. Do not edit.",
        "",
        "import EventLedger",
        "import SwiftProtobuf",
    ]
    by_hand = []
    for _, message, _ in events:
        m, _, _ = messages[message]
        path, text, props = stored_properties(message)
        if path is None:
            continue
        fields = [(f, swift_field_name(f.name)) for f in m.field]
        if "init(stored:" in text or sorted(n for _, n in fields) != sorted(props):
            by_hand.append(message)
            continue
        reads, writes = [], []
        for f, name in fields:
            is_message = f.type == descriptor_pb2.FieldDescriptorProto.TYPE_MESSAGE
            repeated = f.label == descriptor_pb2.FieldDescriptorProto.LABEL_REPEATED
            accessor = stored_accessor(f.name)
            has_presence = (is_message and not repeated) or f.proto3_optional
            presence = f", isSet: stored.has{accessor[0].upper()}{accessor[1:]}" if has_presence else ""
            reads.append(f'        self.{name} = try read.field(stored.{accessor}{presence}, "{f.name}")')
            # A field with presence is assigned only when given: an inout access would set it.
            writes.append(
                f"        if let v = {name}.storedIfPresent {{ s.{accessor} = v }}" if has_presence else f"        {name}.store(into: &s.{accessor})"
            )
        out += [
            "",
            f"extension {message} {{",
            "    /// Reads the stored form, each field through its type's `StoredField`",
            "    /// conformance (the error names the field).",
            f"    package init(stored: Schoolledger_V1_{message}, schemaVersion: UInt32) throws(SchoolSchemaError) {{",
            "        let read = try Self.reader(version: schemaVersion)",
            *reads,
            "    }",
            "",
            "    /// The stored form.",
            f"    package var stored: Schoolledger_V1_{message} {{",
            f"        var s = Schoolledger_V1_{message}()",
            *writes,
            "        return s",
            "    }",
            "}",
        ]
    return out, by_hand


def main():
    descriptor_path, output = sys.argv[1], sys.argv[2]
    fds = descriptor_pb2.FileDescriptorSet()
    with open(descriptor_path, "rb") as f:
        fds.ParseFromString(f.read())
    files = list(fds.file)
    envelope_file = next(f for f in files if f.name == ENVELOPE)
    envelope_index, envelope = next((i, m) for i, m in enumerate(envelope_file.message_type) if m.name == "Envelope")
    oneof = next(i for i, o in enumerate(envelope.oneof_decl) if o.name == "payload")
    events = []
    for n, field in enumerate(envelope.field):
        if field.HasField("oneof_index") and field.oneof_index == oneof:
            doc = comment(files, ENVELOPE, [4, envelope_index, 2, n])
            events.append((camel(field.name), field.type_name.split(".")[-1], doc))

    existing = known_structs()
    messages = {}
    for f in files:
        for i, m in enumerate(f.message_type):
            messages[m.name] = (m, f.name, i)
    for _, message, _ in events:
        if message not in existing:
            os.makedirs(os.path.join(EVENTS, "New"), exist_ok=True)
            path = os.path.join(EVENTS, "New", message + ".swift")
            m, file_name, index = messages[message]
            with open(path, "w", encoding="utf-8") as out:
                out.write(draft(m, files, file_name, index))
            print(f"generate-catalog: {message} has no event struct; wrote a first draft to {os.path.relpath(path, ROOT)}")

    out = [
        "// Generated by scripts/generate-schemas.sh (scripts/generate-catalog.py) from",
        "// Schemas/schoolledger/v1/envelope.proto, the oneof `payload` of Envelope. Do not edit.",
        "",
        "/// One event of the school's journal, as a Swift value: one case per event",
        "/// type of the catalog (`Schemas/schoolledger/v1`), in the order of the",
        "/// envelope's `payload` oneof.",
        "public enum SchoolEvent: Sendable, Hashable {",
    ]
    for case, message, doc in events:
        out += [f"    /// {doc} See ``{message}``.", f"    case {case}({message})"]
    out += [
        "}",
        "",
        "extension SchoolEvent {",
        "    /// The names of every event type of the catalog, in the envelope's",
        "    /// oneof order: the proto message names, e.g. `MarkRecorded`.",
        "    public static let allEventTypes: [String] = [",
    ]
    out += [f'        "{message}",' for _, message, _ in events]
    out += ["    ]", "", "    /// The event itself, with its stored form, stream and field rules.", "    package var catalogEvent: any CatalogEvent {", "        switch self {"]
    out += [f"        case .{case}(let e): e" for case, _, _ in events]
    out += ["        }", "    }", "", "    /// Which event type this is, without its fields.", "    package var kind: EventKind {", "        switch self {"]
    out += [f"        case .{case}: .{case}" for case, _, _ in events]
    out += [
        "        }",
        "    }",
        "",
        "    /// Reads a stored (or imported) event: the envelope's `payload` oneof",
        "    /// and the record's schema version, upcasting older versions.",
        "    ///",
        "    /// - Throws: ``SchoolSchemaError`` naming the event type and the field",
        "    ///   that does not decode.",
        "    package init(payload: Schoolledger_V1_Envelope.OneOf_Payload, schemaVersion: UInt32) throws(SchoolSchemaError) {",
        "        switch payload {",
    ]
    for case, message, _ in events:
        out += [f"        case .{case}(let s):", f"            self = .{case}(try {message}(stored: s, schemaVersion: schemaVersion))"]
    out += ["        }", "    }", "", "    /// The stored form: the envelope's `payload` oneof, in the current schema version.", "    package var payload: Schoolledger_V1_Envelope.OneOf_Payload {", "        switch self {"]
    out += [f"        case .{case}(let e): .{case}(e.stored)" for case, _, _ in events]
    out += [
        "        }",
        "    }",
        "",
        "    /// The schema version this library writes for the event in `payload`:",
        "    /// what a command without a `schema_version` means.",
        "    package static func currentSchemaVersion(of payload: Schoolledger_V1_Envelope.OneOf_Payload) -> UInt32 {",
        "        switch payload {",
    ]
    out += [f"        case .{case}: {message}.schemaVersion" for case, message, _ in events]
    out += [
        "        }",
        "    }",
        "}",
        "",
        "/// The event types of the catalog without their fields: what every decision",
        "/// about an event type switches over, exhaustively, so that a new type does",
        "/// not compile until its right, its reference rule and its read-model use exist.",
        "package enum EventKind: String, CaseIterable, Sendable {",
    ]
    for case, message, _ in events:
        out += [f"    /// ``{message}``.", f'    case {case} = "{message}"']
    out += ["}"]
    for _, message, _ in events:
        out += ["", f"extension {message} {{", f"    /// `{message}`.", f'    package static let eventType = "{message}"', "}"]
    with open(output, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
    print(f"generate-catalog: {len(events)} event types -> {os.path.relpath(output, ROOT)}")
    forms, by_hand = stored_forms(events, messages)
    forms_path = os.path.join(os.path.dirname(output), "SchoolEvent+StoredForms.swift")
    with open(forms_path, "w", encoding="utf-8") as f:
        f.write("\n".join(forms) + "\n")
    print(
        f"generate-catalog: stored forms of {len(events) - len(by_hand)} event types -> {os.path.relpath(forms_path, ROOT)}; "
        f"by hand: {', '.join(by_hand) or 'none'}"
    )


main()
