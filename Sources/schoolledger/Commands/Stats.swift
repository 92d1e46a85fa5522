import ArgumentParser
import EventLedger
import Foundation

extension SchoolLedgerCommand {
    /// `schoolledger stats`: counts and sizes.
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print event and stream counts, file and map size, and reader slots.")

        @OptionGroup var options: LedgerOptions

        @Flag(name: .long, help: "Print the figures as JSON.")
        var json = false

        func run() throws {
            let ledger = try options.openReadOnly()
            let s = try ledger.statistics()
            if json {
                print(try JSONOutput.encode(s))
                return
            }
            print("ledger      \(ledger.directory)")
            print("events      \(s.events)")
            print("streams     \(s.streams)")
            print("actors      \(s.actors)")
            print("file size   \(s.fileBytes) bytes (\(s.usedBytes) in use)")
            print("map size    \(s.mapSize) bytes")
            print("page size   \(s.pageSize) bytes")
            print("readers     \(s.readers) of \(s.maxReaders) slots")
            print("head        \(s.head)")
            if let last = s.head.recordedAt, last > ledger.options.clock.now() {
                print("WARNING     the last record is stamped \(last), after this machine's clock: check the clock that wrote it")
            }
            print("lmdb        \(s.lmdbVersion)")
            for name in s.databases.keys.sorted() {
                let d = s.databases[name]!
                print("  \(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(d.entries) entries, \(d.bytes) bytes")
            }
        }
    }
}
