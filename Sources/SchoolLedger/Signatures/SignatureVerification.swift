public import EventLedger

/// What ``SchoolJournal/verifySignatures(_:)`` found: every operation's
/// electronic signature checked again, as the ledger stood when the
/// operation was appended (clause 10).
public struct SignatureReport: Sendable, Equatable, Codable {
    /// Records read: the log's head position.
    package var checkedThrough: UInt64 = 0
    /// Signed operations whose signature was checked.
    package var signed = 0
    /// Operations the settings asked to be signed.
    package var required = 0
    /// The operations that break the rules: appended past them by a
    /// program without the journal's rule, or forged in the files.
    public var findings: [SignatureRefused] = []

    /// Whether every signature holds and every operation that had to be signed is.
    public var holds: Bool { findings.isEmpty }
}

extension SchoolJournal {
    /// Checks every operation's signature again on `ledger` (read-only is
    /// enough), in one pass over the log: each signature against the key
    /// registered for its actor before it, valid at its `recordedAt`, not
    /// revoked or named in a breach notice before it, and over the
    /// operation's canonical bytes; and each operation of a type the
    /// school's settings named at the time signed. A signature that held
    /// when appended holds here: a later revocation or breach notice does
    /// not undo it (clause 11 voids such operations instead).
    public static func verifySignatures(_ ledger: EventLedger) throws -> SignatureReport {
        try ledger.read { reader in
            var report = SignatureReport()
            var policy = SignaturePolicy()
            var ring = SignatureKeyring()
            var register = CompromiseRegister()
            var verified = VerifiedBatches()
            try reader.forEach(from: 1, through: .max) { view in
                report.checkedThrough = view.position
                let stream = view.streamBytes
                let mustSign = policy.typesToSign(at: view.position).contains(view.type)
                let signed = EventCoding.carriesSignature(view.payload)
                if mustSign || signed, let recorded = EventCoding.decodedEntry(view) {
                    if mustSign { report.required += 1 }
                    if signed { report.signed += 1 }
                    let stored = SignatureRules.stored(view, recorded)
                    if let refusal = verified.refusal(
                        of: SignatureRules.judge(
                            recorded.entry, position: view.position, recordedAt: view.recordedAt, schemaVersion: view.schemaVersion,
                            mustSign: mustSign, school: policy.school, keys: ring.keys[recorded.entry.actor] ?? [], register: register,
                            unsignedPayload: stored.unsignedPayload ?? []))
                    {
                        var found = refusal
                        found.position = view.position
                        report.findings.append(found)
                    }
                }
                if stream.elementsEqual(SchoolStream.school.utf8) || stream.elementsEqual(SchoolStream.compromise.utf8)
                    || (stream.starts(with: "account/".utf8) && view.typeBytes.starts(with: "SignatureKey".utf8)),
                    let event = EventCoding.decodedEvent(view)
                {
                    policy.apply(event, position: view.position)
                    ring.apply(event, position: view.position)
                    register.apply(event, position: view.position, eventID: view.id, recordedAt: view.recordedAt)
                }
                return true
            }
            return report
        }
    }
}

extension EventCoding {
    /// Whether a stored payload (a `schoolledger.v1.Envelope`) carries a
    /// signature (field 16), found by walking its top-level fields without
    /// decoding them; `false` for bytes that are not a message.
    static func carriesSignature(_ payload: UnsafeRawBufferPointer) -> Bool {
        var found = false
        _ = forEachTopLevelField(payload) { field, _ in
            found = field == 16
            return !found
        }
        return found
    }

    /// The payload the journal encoded with a signature, without it: the
    /// bytes of every top-level field but the signature (field 16), which
    /// is what the encoder writes for the envelope without one (it writes
    /// fields one after another, each whole); `nil` for bytes that are not a
    /// message.
    static func withoutSignature(_ payload: [UInt8]) -> [UInt8]? {
        payload.withUnsafeBytes { bytes -> [UInt8]? in
            var out = [UInt8]()
            out.reserveCapacity(bytes.count)
            let whole = forEachTopLevelField(bytes) { field, range in
                if field != 16 { out += bytes[range] }
                return true
            }
            return whole ? out : nil
        }
    }

    /// Calls `body` with each top-level field of a message's bytes (its
    /// number, and the range of its key and value) until it returns
    /// `false`; returns `false` when the bytes are not a message.
    private static func forEachTopLevelField(_ payload: UnsafeRawBufferPointer, _ body: (UInt64, Range<Int>) -> Bool) -> Bool {
        var i = 0
        func varint() -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while i < payload.count, shift < 64 {
                let byte = payload[i]
                i += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            return nil
        }
        while i < payload.count {
            let start = i
            guard let key = varint() else { return false }
            switch key & 7 {
            case 0: guard varint() != nil else { return false }
            case 1: i += 8
            case 2:
                guard let length = varint(), length <= UInt64(payload.count - i) else { return false }
                i += Int(length)
            case 5: i += 4
            default: return false
            }
            guard i <= payload.count else { return false }
            if !body(key >> 3, start..<i) { return true }
        }
        return true
    }
}
