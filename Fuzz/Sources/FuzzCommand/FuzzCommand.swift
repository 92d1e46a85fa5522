import EventLedger
import Foundation
import FuzzSupport
import SchoolLedger

/// The command decoder, then the journal: an input's first byte chooses the
/// encoding (bit 0 even: binary protobuf, odd: JSON) and the account the
/// command comes from (the other bits, among the seed school's accounts and
/// one it does not know), the rest is the command. A
/// command that decodes is recorded in a journal holding the demo's school
/// (Seed/school.jsonl), so the rights, references and compromise rules run
/// on it.
///
/// Promises checked: decoding refuses with ``InterchangeError`` or gives an
/// entry that passes its field rules; recording either appends (with the
/// head moving by at least the one event) or refuses and leaves the ledger
/// exactly as it was.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCommand(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 1 else { return 0 }
    let body = UnsafeBufferPointer(start: data + 1, count: size - 1)
    let actor = CommandTarget.accounts[Int(data[0] >> 1) % CommandTarget.accounts.count]
    let entry: JournalEntry
    do {
        if data[0] & 1 == 0 {
            entry = try JournalEntry(commandBytes: body, actor: actor)
        } else {
            guard let text = String(validating: body, as: UTF8.self) else { return 0 }
            entry = try JournalEntry(commandJSON: text, actor: actor)
        }
    } catch {
        Fuzz.require(!error.field.isEmpty && !error.rule.isEmpty, "a refusal names no field or rule: \(error)")
        return 0
    }
    Fuzz.require((try? entry.event.validate()) != nil, "a decoded \(entry.event.eventType) breaks its field rules")
    Fuzz.require(entry.actor == actor, "a decoded command names \(entry.actor), not the account it came from (\(actor))")
    let journal = CommandTarget.journal
    let before = Fuzz.head(journal.ledger)
    let result = Fuzz.wait { try await journal.record([entry]) }
    let after = Fuzz.head(journal.ledger)
    switch result {
    case .success(let appended):
        Fuzz.require(after.position == appended.lastPosition && (appended.wasDuplicate ? after == before : after.position > before.position),
                     "recorded at \(appended.lastPosition) but the head is \(after)")
    case .failure:
        Fuzz.require(after == before, "a refused command changed the ledger: \(before) → \(after)")
    }
    return 0
}

/// A journal holding the demo's school, opened once per process.
enum CommandTarget {
    /// The accounts a command may come from: the seed school's, a reserved
    /// name, and one the school does not know.
    static let accounts: [AccountID] = ["admin", "head", "deputy-head", "support", "teacher-math", "teacher-russian", "teacher-english",
                                        "parent-1001", "system:invalidator", "stranger"]
    static let journal: SchoolJournal = {
        let directory = Fuzz.scratch("command")
        do {
            let journal = try SchoolJournal.open(at: directory + "/ledger", options: Fuzz.ledgerOptions)
            let seed = Fuzz.seedFile
            let imported = Fuzz.wait { try await JournalImport.importFile(at: seed, into: journal.ledger) }
            if case .failure(let error) = imported { fatalError("cannot load the seed school \(seed): \(error)") }
            return journal
        } catch {
            fatalError("cannot open the scratch journal in \(directory): \(error)")
        }
    }()
}
