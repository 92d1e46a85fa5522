import ArgumentParser
import EventLedger
import Foundation
import Hummingbird
import JournalServiceCore
import SchoolLedger

/// `journal-service`: the reference service on one ledger.
/// A line on standard output at once (print's buffer holds it when stdout is a pipe).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

@main
struct JournalServiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal-service",
        abstract: "Serves a school's journal over HTTP (Hummingbird 2): diaries, marks, a parent's page.")

    @Option(help: "The ledger's directory (made by `schoolledger demo` or the school's own).")
    var ledger: String

    @Option(help: "The file holding the HS256 secret of the bearer tokens (32 random bytes or more).")
    var jwtSecret: String

    @Flag(help: "Make the secret file with 32 random bytes if it is missing.")
    var createSecret = false

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on.")
    var port = 8080

    @Option(help: "Print a curl line with a token for this account (e.g. parent-1001) once listening.")
    var exampleFor: String?

    @Option(help: "The student of the printed curl line's diary.")
    var exampleStudent = "S-1001"

    @Option(help: "The first day (YYYY-MM-DD) of the printed curl line's week.")
    var exampleWeek = "2026-08-31"

    func run() async throws {
        let journal = try SchoolJournal.open(at: ledger)
        let identity = try await JWTAccountResolver.load(secretFile: jwtSecret, create: createSecret)
        let service = JournalService(journal: journal, identity: identity)
        let app = Application(
            router: try service.router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "journal-service"),
            onServerRunning: { _ in
                guard let account = exampleFor else { return }
                let token = try? await identity.token(for: AccountID(rawValue: account))
                let monday = CivilDate(exampleWeek) ?? CivilDate(year: 2026, month: 8, day: 31)!
                let url = "http://\(host):\(port)/v1/students/\(exampleStudent)/diary?from=\(monday)&to=\(monday.adding(days: 6))"
                say("journal-service: listening on http://\(host):\(port); \(account)'s diary:")
                say("curl -s -H 'Authorization: Bearer \(token ?? "?")' '\(url)'")
                say("the parent's page: http://\(host):\(port)/diary?student=\(exampleStudent)&week=\(monday) (same header)")
            })
        // SIGTERM and SIGINT end the server gracefully: requests in flight,
        // appends among them, finish before it stops; then the ledger syncs.
        try await app.runService()
        try journal.ledger.sync()
        say("journal-service: stopped; the ledger is synced")
    }
}
