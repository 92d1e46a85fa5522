import ArgumentParser
import EventLedger
import Foundation
import SchoolLedger

/// The projections this tool knows and can rebuild.
enum KnownProjections {
    static var all: [any Projection] { [EventTypeCounts(), JournalIndexProjection()] }
}

extension SchoolLedgerCommand {
    /// `schoolledger rebuild`: rebuild read models from the log, or check them.
    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild read models from the log (blue/green), or check them against a rebuild.",
            discussion: """
                A rebuild folds the whole log into a second set of databases while the ledger stays in use, \
                then swaps it in with one commit: readers see the old model or the new one, never a mix. \
                With --check nothing is swapped: the rebuild is compared with the live model and every \
                difference is listed (exit 1 if any). On a terminal a progress bar shows events/s and the \
                time left; otherwise plain progress lines are printed.
                """)

        @OptionGroup var options: LedgerOptions

        @Option(name: .long, help: ArgumentHelp("Only this projection (default: all).", valueName: "NAME"))
        var projection: String?

        @Flag(name: .long, help: "Compare a rebuild with the live model instead of swapping it in.")
        var check = false

        func validate() throws {
            if let projection, !KnownProjections.all.contains(where: { $0.name == projection }) {
                throw ValidationError(
                    "Unknown projection '\(projection)'; known: \(KnownProjections.all.map(\.name).joined(separator: ", ")).")
            }
        }

        func run() async throws {
            let ledger = try options.openWritable()
            let chosen = KnownProjections.all.filter { projection == nil || $0.name == projection }
            for p in chosen { try ledger.register(p) }
            let progress = ProgressPrinter()
            var differing = 0
            for p in chosen {
                if check {
                    let differences = try await ledger.check(p.name) { progress.show($0) }
                    progress.finish()
                    if differences.isEmpty {
                        print("\(p.name): the live model equals a rebuild from the log")
                    } else {
                        differing += 1
                        print("\(p.name): \(differences.count) difference(s) between the live model and a rebuild:")
                        for d in differences.prefix(20) { print("  \(d)") }
                    }
                } else {
                    try await ledger.rebuild(p.name) { progress.show($0) }
                    progress.finish()
                    print("\(p.name): rebuilt and swapped in")
                }
            }
            if differing > 0 { throw ExitCode(1) }
        }
    }

    /// `schoolledger projections`: list read models and where they stand.
    struct Projections: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the read models with their version, checkpoint and lag behind the log.")

        @OptionGroup var options: LedgerOptions

        @Flag(name: .long, help: "Print the list as JSON.")
        var json = false

        @Flag(
            name: .long,
            help: "Open the ledger writable and bring every read model up to the log's end first (the cost of the lag, not a rebuild).")
        var catchUp = false

        func run() async throws {
            let ledger = try catchUp ? options.openWritable() : options.openReadOnly()
            var statuses = [ProjectionStatus]()
            let tail = try ledger.head().position
            for p in KnownProjections.all {
                do {
                    try ledger.register(p)
                } catch {
                    statuses.append(
                        ProjectionStatus(
                            name: p.name, version: p.version, builtVersion: 0, checkpoint: 0, lag: tail, rebuildCheckpoint: nil))
                }
            }
            if catchUp { try await ledger.catchUpProjections() }
            statuses += try ledger.projectionStatus()
            statuses.sort { $0.name < $1.name }
            if json {
                print(try JSONOutput.encode(statuses))
                return
            }
            print("projection            version  built  checkpoint  lag")
            for s in statuses {
                let built = s.builtVersion == 0 ? "never" : "\(s.builtVersion)"
                print(
                    "\(s.name.padding(toLength: 22, withPad: " ", startingAt: 0))\(String(s.version).padding(toLength: 9, withPad: " ", startingAt: 0))\(built.padding(toLength: 7, withPad: " ", startingAt: 0))\(String(s.checkpoint).padding(toLength: 12, withPad: " ", startingAt: 0))\(s.lag)\(s.rebuildCheckpoint.map { "  (rebuild at \($0))" } ?? "")"
                )
            }
            for q in try JournalIndexProjection.quarantinedRecords(in: ledger) {
                print("journal-index skipped QUARANTINED position \(q.position) (\(q.type)): \(q.reason)")
            }
        }
    }
}

/// Prints rebuild progress: a bar redrawn in place on a terminal, plain
/// lines (with events/s) otherwise.
final class ProgressPrinter: @unchecked Sendable {
    // @unchecked Sendable: the callbacks come one at a time from the rebuild loop.
    private let isTerminal = isatty(STDOUT_FILENO) == 1
    private var last: RebuildProgress?

    func show(_ p: RebuildProgress) {
        last = p
        let rate = p.eventsPerSecond
        if isTerminal {
            let fraction = p.total == 0 ? 1 : Double(p.processed) / Double(p.total)
            let width = 30
            let filled = Int(fraction * Double(width))
            let left = rate > 0 ? Double(p.total - min(p.total, p.processed)) / rate : 0
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            print(
                "\r\(p.projection) [\(bar)] \(Int(fraction * 100))% \(p.processed)/\(p.total) · \(Int(rate)) events/s · \(Int(left.rounded(.up))) s left   ",
                terminator: "")
            fflush(nil)
        } else {
            print("\(p.projection): \(p.processed)/\(p.total) events, \(Int(rate)) events/s")
        }
    }

    func finish() {
        if isTerminal, last != nil { print("") }
        last = nil
    }
}
