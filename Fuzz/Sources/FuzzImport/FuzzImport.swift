import EventLedger
import Foundation
import FuzzSupport
import SchoolLedger

/// The JSON Lines importer, file to ledger, on any bytes (the corpus holds
/// runs of lines the demo ledger exports).
///
/// Promises checked: an import either appends every line or refuses with an
/// ``InterchangeError`` and leaves the ledger exactly as it was; an accepted
/// import appends as many events as it reports.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImport(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let file = ImportTarget.directory + "/input.jsonl"
    guard FileManager.default.createFile(atPath: file, contents: Data(bytes: data, count: size)) else {
        fatalError("cannot write \(file)")
    }
    let ledger = ImportTarget.ledger()
    let before = Fuzz.head(ledger)
    let result = Fuzz.wait { try await JournalImport.importFile(at: file, into: ledger) }
    let after = Fuzz.head(ledger)
    switch result {
    case .success(let imported):
        Fuzz.require(after.position == before.position + UInt64(imported.appended),
                     "import reported \(imported.appended) appended but the head moved \(before.position) → \(after.position)")
    case .failure(let error):
        Fuzz.require(error is InterchangeError, "a refused import threw \(type(of: error)), not InterchangeError: \(error)")
        Fuzz.require(after == before, "a refused import changed the ledger: \(before) → \(after)")
    }
    return 0
}

/// The ledger imports go to; replaced by a fresh one when it grows large, so
/// a long run's speed does not drift.
enum ImportTarget {
    static let directory = Fuzz.scratch("import")
    nonisolated(unsafe) private static var current: EventLedger?
    nonisolated(unsafe) private static var generation = 0

    static func ledger() -> EventLedger {
        if let ledger = current, Fuzz.head(ledger).position < 20_000 { return ledger }
        current = nil
        generation += 1
        let path = "\(directory)/ledger-\(generation)"
        try? FileManager.default.removeItem(atPath: "\(directory)/ledger-\(generation - 1)")
        do {
            let ledger = try EventLedger.open(at: path, options: Fuzz.ledgerOptions)
            current = ledger
            return ledger
        } catch {
            fatalError("cannot open the scratch ledger \(path): \(error)")
        }
    }
}
