import Foundation
import LedgerTestSupport
import SwiftProtobuf
import Testing

/// Compares two descriptor sets and lists every change that would break
/// events already stored or exported: a message, field or enum value removed
/// without `reserved`, a field renumbered, retyped, renamed (the JSON export
/// uses names) or moved in or out of a oneof.
struct SchemaCompatibility {
    typealias FileSet = Google_Protobuf_FileDescriptorSet
    typealias Message = Google_Protobuf_DescriptorProto
    typealias Enum = Google_Protobuf_EnumDescriptorProto

    static func breakingChanges(from old: FileSet, to new: FileSet) -> [String] {
        let (oldMessages, oldEnums) = index(old)
        let (newMessages, newEnums) = index(new)
        var problems = [String]()
        for (name, message) in oldMessages.sorted(by: { $0.key < $1.key }) {
            guard let current = newMessages[name] else {
                problems.append("message \(name) was removed")
                continue
            }
            for field in message.field {
                guard let now = current.field.first(where: { $0.number == field.number }) else {
                    let reservedNumber = current.reservedRange.contains { $0.start <= field.number && field.number < $0.end }
                    if !(reservedNumber && current.reservedName.contains(field.name)) {
                        problems.append(
                            "\(name).\(field.name) (field \(field.number)) was removed without `reserved \(field.number); reserved \"\(field.name)\";`"
                        )
                    }
                    continue
                }
                if now.name != field.name {
                    problems.append("\(name): field \(field.number) was renamed from \(field.name) to \(now.name) (breaks the JSON export)")
                }
                if now.type != field.type || now.typeName != field.typeName || now.label != field.label {
                    problems.append("\(name).\(field.name) (field \(field.number)) changed type")
                }
                let oldOneof = field.hasOneofIndex ? message.oneofDecl[Int(field.oneofIndex)].name : nil
                let newOneof = now.hasOneofIndex ? current.oneofDecl[Int(now.oneofIndex)].name : nil
                if oldOneof != newOneof && !(field.proto3Optional || now.proto3Optional) {
                    problems.append(
                        "\(name).\(field.name) (field \(field.number)) moved from oneof \(oldOneof ?? "-") to \(newOneof ?? "-")")
                }
            }
        }
        for (name, e) in oldEnums.sorted(by: { $0.key < $1.key }) {
            guard let current = newEnums[name] else {
                problems.append("enum \(name) was removed")
                continue
            }
            for value in e.value {
                if let now = current.value.first(where: { $0.number == value.number }) {
                    if now.name != value.name {
                        problems.append("\(name): value \(value.number) was renamed from \(value.name) to \(now.name)")
                    }
                } else if !current.reservedRange.contains(where: { $0.start <= value.number && value.number <= $0.end }) {
                    problems.append("\(name).\(value.name) (\(value.number)) was removed without `reserved`")
                }
            }
        }
        return problems
    }

    /// Every message and enum by full name (`package.Outer.Inner`).
    static func index(_ set: FileSet) -> ([String: Message], [String: Enum]) {
        var messages = [String: Message]()
        var enums = [String: Enum]()
        func walk(_ message: Message, prefix: String) {
            let name = prefix + "." + message.name
            messages[name] = message
            for nested in message.nestedType { walk(nested, prefix: name) }
            for e in message.enumType { enums[name + "." + e.name] = e }
        }
        for file in set.file {
            for message in file.messageType { walk(message, prefix: file.package) }
            for e in file.enumType { enums[file.package + "." + e.name] = e }
        }
        return (messages, enums)
    }
}

@Suite("Schema evolution guard")
struct SchemaEvolutionTests {
    static let root = Fixture.repositoryRoot

    static func snapshot() throws -> Google_Protobuf_FileDescriptorSet {
        try Google_Protobuf_FileDescriptorSet(
            serializedBytes: Data(contentsOf: root.appendingPathComponent("Schemas/snapshots/schoolledger.binpb")))
    }

    /// Today's Schemas/, compiled by protoc (Debian's protobuf-compiler, which `make test` installs).
    static func current() throws -> Google_Protobuf_FileDescriptorSet {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("schemas-\(UUID().uuidString).binpb")
        defer { try? FileManager.default.removeItem(at: out) }
        let schemas = root.appendingPathComponent("Schemas")
        let files = (FileManager.default.enumerator(atPath: schemas.path)?.compactMap { $0 as? String } ?? [])
            .filter { $0.hasSuffix(".proto") }.sorted()
        let protoc = try Spawned(
            "/usr/bin/protoc",
            ["--proto_path=\(schemas.path)", "--include_imports", "--descriptor_set_out=\(out.path)"]
                + files.map { schemas.path + "/" + $0 })
        #expect(protoc.wait().status == 0, "protoc could not compile Schemas/: \(protoc.errorOutput)")
        return try Google_Protobuf_FileDescriptorSet(serializedBytes: Data(contentsOf: out))
    }

    @Test func todaysSchemasKeepEveryStoredFieldOfTheSnapshot() throws {
        let problems = SchemaCompatibility.breakingChanges(from: try Self.snapshot(), to: try Self.current())
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func theSnapshotHoldsTheEnvelopeAndTheStoredRecord() throws {
        let (messages, _) = SchemaCompatibility.index(try Self.snapshot())
        #expect(messages["schoolledger.v1.Envelope"] != nil)
        #expect(messages["eventledger.v1.Record"] != nil)
        #expect(messages["schoolledger.v1.MarkRecorded"] != nil)
    }

    // The guard itself must be able to fail: each edit below is one that
    // would break stored events, made to a copy of the snapshot.

    static func edited(_ edit: (inout Google_Protobuf_DescriptorProto) -> Void, message: String = "MarkRecorded") throws -> [String] {
        let old = try snapshot()
        var new = old
        for f in new.file.indices {
            for m in new.file[f].messageType.indices where new.file[f].messageType[m].name == message {
                edit(&new.file[f].messageType[m])
            }
        }
        return SchemaCompatibility.breakingChanges(from: old, to: new)
    }

    @Test func removingAFieldIsCaught() throws {
        let problems = try Self.edited { $0.field.removeLast() }
        #expect(problems.count == 1)
        #expect(problems.first?.contains("removed without") == true)
    }

    @Test func removingAFieldAsReservedIsAllowed() throws {
        let problems = try Self.edited { m in
            let gone = m.field.removeLast()
            var range = Google_Protobuf_DescriptorProto.ReservedRange()
            range.start = gone.number
            range.end = gone.number + 1
            m.reservedRange.append(range)
            m.reservedName.append(gone.name)
        }
        #expect(problems.isEmpty)
    }

    @Test func renumberingAFieldIsCaught() throws {
        let problems = try Self.edited { $0.field[0].number += 1000 }
        #expect(!problems.isEmpty)
    }

    @Test func retypingAFieldIsCaught() throws {
        let problems = try Self.edited { m in
            m.field[0].type = m.field[0].type == .string ? .bytes : .string
            m.field[0].typeName = ""
        }
        #expect(problems.contains { $0.contains("changed type") })
    }

    @Test func renumberingAOneofCaseIsCaught() throws {
        let problems = try Self.edited(
            { m in
                if let i = m.field.firstIndex(where: { $0.name == "mark_recorded" }) { m.field[i].number = 999 }
            }, message: "Envelope")
        #expect(problems.contains { $0.contains("mark_recorded") })
    }
}
