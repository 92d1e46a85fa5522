import Crypto
public import EventLedger
import Foundation

/// Proofs that a paper extract's lines come from records of the school's
/// signed log: the signed head, and for each record its bytes and its
/// inclusion proof against the head's Merkle tree. A parent or an auditor
/// checks them offline with the school's public key and nothing else
/// (`Schemas/examples/verify_proof.py`).
public struct ExtractProofs: Sendable, Equatable, Codable {
    /// Always `extract` (the Python verifier reads it).
    var kind = "extract"
    /// The signed head the proofs are against.
    var head: SignedChainHead
    /// One entry per record the extract's lines come from (its marks, final
    /// marks, homework, the student's attendance, the lessons of its
    /// timetable, its teachers' assignments and its holidays), in log order.
    package var records: [ProvenRecord]

    /// As one JSON object, as `verify_proof.py` reads it.
    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? String(decoding: encoder.encode(self), as: UTF8.self)) ?? "{}"
    }
}

/// One record of an extract with its proof.
package struct ProvenRecord: Sendable, Equatable, Codable {
    /// Its position in the log.
    package var position: UInt64
    /// The bytes its chain hash is the SHA-256 of, base64: an
    /// `eventledger.v1.Record` with fields 1 to 15, which names its stream,
    /// type, actor and times and holds the event itself.
    package var record: String
    /// The proof that the record is in the signed head's tree.
    var proof: MerkleInclusionProof

    /// Whether the proof holds and is about these very bytes.
    package func verify() -> Bool {
        guard let bytes = Data(base64Encoded: record), let hash = ChainHash(hex: proof.recordHash) else { return false }
        return proof.verify() && SHA256.hash(data: bytes).elementsEqual(hash.bytes) && proof.leafIndex + 1 == position
    }
}

extension SchoolJournal {
    /// The proofs of `extract` against `head`, a head of this ledger signed
    /// with the school's key (`EventLedger.signedHead(with:at:)`) whose
    /// tree covers the extract (its size at least the extract's
    /// ``PaperExtract/asOfPosition``).
    ///
    /// - Throws: ``SchoolValidationError`` when the head has no tree, does
    ///   not cover the extract, or is not of this ledger's history.
    public func proofs(of extract: PaperExtract, against head: SignedChainHead) throws -> ExtractProofs {
        func refuse(_ value: String, _ rule: String) -> SchoolValidationError {
            SchoolValidationError(eventType: "extract", field: "head", value: value, rule: rule)
        }
        guard let tree = head.tree else {
            throw refuse("no tree", "must sign the log's Merkle tree: sign a new head (schoolledger head --sign)")
        }
        guard tree.size >= extract.asOfPosition else {
            throw refuse(
                "tree of \(tree.size) records",
                "must cover the extract, which reflects position \(extract.asOfPosition): sign a newer head, or make the extract as of position \(tree.size)"
            )
        }
        guard try tree.size <= ledger.head().position, tree.root == Hex.encode(try ledger.merkleRoot(size: tree.size).root) else {
            throw refuse(
                tree.root,
                "must be the root of this ledger's first \(tree.size) records: the head is of another ledger or of a rewritten history")
        }
        let last = extract.asOfPosition
        let records = try ledger.read { reader -> [(UInt64, [UInt8])] in
            let voided = try CompromiseRegister.read(reader, through: last).allVoided
            var positions = Set<UInt64>()
            for stream in Set(extract.sources.streams) {
                try reader.forEach(inStream: stream) { view in
                    guard view.position <= last else { return false }
                    if !voided.contains(view.position) { positions.insert(view.position) }
                    return true
                }
            }
            positions.formUnion(extract.sources.records.filter { $0 <= last && !voided.contains($0) })
            // A lesson's stream once: its own facts for the timetable, the student's roll call for attendance.
            let timetable = Set(extract.sources.timetableLessons), attendance = Set(extract.sources.attendanceLessons)
            for lesson in timetable.union(attendance) {
                try reader.forEach(inStream: SchoolStream.lesson(lesson)) { view in
                    guard view.position <= last else { return false }
                    guard !voided.contains(view.position) else { return true }
                    let type = view.typeBytes
                    if timetable.contains(lesson), SchoolFolds.isLessonEventType(type) {
                        positions.insert(view.position)
                    } else if attendance.contains(lesson), type.starts(with: "Attendance".utf8) {
                        switch EventCoding.decodedEvent(view) {
                        case .attendanceMarked(let e) where e.studentID == extract.studentID: positions.insert(view.position)
                        case .attendanceCorrected(let e) where e.studentID == extract.studentID: positions.insert(view.position)
                        default: break
                        }
                    }
                    return true
                }
            }
            return try positions.sorted().map { position in
                guard let previous = try reader.chainHash(before: position) else {
                    throw LedgerError(.corruptRecord, "The record before position \(position) is missing: run schoolledger verify.")
                }
                var bytes = [UInt8]()
                try reader.forEach(from: position, through: position) { view in
                    bytes = view.hashedBytes(after: previous)
                    return false
                }
                return (position, bytes)
            }
        }
        return ExtractProofs(
            head: head,
            records: try records.map { position, bytes in
                ProvenRecord(
                    position: position, record: Data(bytes).base64EncodedString(),
                    proof: try ledger.inclusionProof(position: position, treeSize: tree.size))
            })
    }
}
