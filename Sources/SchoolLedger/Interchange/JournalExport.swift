public import EventLedger
import Foundation
import SwiftProtobuf

/// Writes a ledger's history as JSON Lines: one `schoolledger.v1.Envelope`
/// per line in protobuf's canonical JSON mapping, oldest first.
///
/// Any protobuf runtime reads the lines back with `Schemas/` alone;
/// ``JournalImport`` appends them to another ledger.
public enum JournalExport {
    /// Writes the records from `first` through `last` to `output`; returns how many.
    static func write(
        _ ledger: EventLedger, from first: UInt64 = 1, through last: UInt64 = .max,
        to output: FileHandle
    ) throws -> Int {
        var count = 0
        var buffer = Data()
        buffer.reserveCapacity(1 << 20)
        try ledger.read { reader in
            // Records keep only their own hash: the chain is carried along the walk.
            var previous = try reader.chainHash(before: max(first, 1)) ?? .genesis
            try reader.forEach(from: first, through: last) { view in
                if let quarantined = QuarantinedRecord(view) {
                    buffer.append(contentsOf: try Self.rawLine(view, quarantined))
                } else {
                    buffer.append(contentsOf: try EventCoding.envelope(of: view, previousHash: previous).jsonUTF8Bytes())
                }
                previous = view.hash
                buffer.append(0x0A)
                count += 1
                if buffer.count >= 1 << 20 {
                    try output.write(contentsOf: buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
                return true
            }
        }
        try output.write(contentsOf: buffer)
        return count
    }

    /// A quarantined record as one JSON line: its metadata, type and raw
    /// payload (base64) under `quarantined`, which no importer takes for an event.
    static func rawLine(_ view: RecordView, _ quarantined: QuarantinedRecord) throws -> Data {
        let object: [String: Any] = [
            "position": String(view.position), "eventId": view.id.description, "stream": view.stream, "type": view.type,
            "schemaVersion": Int(view.schemaVersion), "actor": view.actor, "hash": view.hash.hex,
            "quarantined": ["reason": quarantined.reason, "payloadBase64": Data(view.payload).base64EncodedString()],
        ]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}

/// Appends a JSON Lines file (as ``JournalExport`` writes it) to a ledger,
/// all lines or none.
///
/// Event ids are kept, so importing the same file twice appends nothing the
/// second time; each line's `recorded_at` is kept when it does not go back in
/// time. Lines are read one at a time: memory stays bounded for any file.
public enum JournalImport {
    /// Imports the file at `path` into `ledger`.
    ///
    /// - Throws: ``InterchangeError`` naming the line, field and rule of the
    ///   first bad line (JSON that does not parse, an event that breaks its
    ///   field rules, a recorded_at that goes back in time, an id already
    ///   used by another event). Nothing is appended then.
    public static func importFile(at path: String, into ledger: EventLedger) async throws -> ImportResult {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw InterchangeError(field: "file", rule: "\(path) cannot be read: check the path and permissions")
        }
        do {
            return try await ledger.importEvents {
                let lines = try LineReader(path: path)
                return {
                    guard let (number, text) = try lines.next() else { return nil }
                    do {
                        var options = JSONDecodingOptions()
                        options.ignoreUnknownFields = false
                        let envelope = try Schoolledger_V1_Envelope(jsonString: text, options: options)
                        return try EventCoding.importedEvent(from: envelope)
                    } catch var error as InterchangeError {
                        error.line = number
                        throw error
                    } catch let error as SchoolValidationError {
                        throw InterchangeError(line: number, field: error.field, rule: error.rule)
                    } catch let error as SchoolSchemaError {
                        throw InterchangeError(line: number, field: error.field, rule: "\(error)")
                    } catch  where text.contains("\"quarantined\":{") {
                        throw InterchangeError(
                            line: number, field: "quarantined",
                            rule: "is a record the school domain cannot decode, exported raw: remove the line to import the rest")
                    } catch {
                        throw InterchangeError(line: number, field: "json", rule: "does not parse as a schoolledger.v1.Envelope (\(error))")
                    }
                }
            }
        } catch let error as LedgerError {
            // Every line yields one event, so the ledger's import index is the line number.
            throw InterchangeError(line: error.importIndex, field: error.field ?? error.code.rawValue, rule: error.message)
        }
    }
}

/// Reads a text file line by line with `getline`, numbering lines from 1;
/// an empty line is an error (every line must hold one event).
final class LineReader {
    private let file: UnsafeMutablePointer<FILE>
    private var line: UnsafeMutablePointer<CChar>?
    private var capacity = 0
    private var number = 0

    init(path: String) throws {
        guard let f = fopen(path, "r") else {
            throw InterchangeError(field: "file", rule: "\(path) cannot be opened (errno \(errno))")
        }
        file = f
    }

    deinit {
        free(line)
        fclose(file)
    }

    func next() throws -> (Int, String)? {
        let count = getline(&line, &capacity, file)
        guard count >= 0, let line else { return nil }
        number += 1
        var length = count
        while length > 0, line[length - 1] == 0x0A || line[length - 1] == 0x0D { length -= 1 }
        guard length > 0 else { throw InterchangeError(line: number, field: "line", rule: "is empty: every line must hold one event") }
        let text = UnsafeRawBufferPointer(start: line, count: length)
        guard let string = String(validating: text.bindMemory(to: UInt8.self), as: UTF8.self) else {
            throw InterchangeError(line: number, field: "line", rule: "is not valid UTF-8")
        }
        return (number, string)
    }
}

extension SchoolJournal {
    /// Every student and parent the ledger holds a stream for.
    func allDataSubjects() throws -> [DataSubject] {
        try ledger.read { reader in
            var subjects = [DataSubject]()
            try reader.forEachStream(withPrefix: "student/") { name, _ in
                subjects.append(.student(StudentID(String(name.dropFirst("student/".count)))))
                return true
            }
            try reader.forEachStream(withPrefix: "parent/") { name, _ in
                subjects.append(.parent(ParentID(String(name.dropFirst("parent/".count)))))
                return true
            }
            return subjects
        }
    }
}
