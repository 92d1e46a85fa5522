import ArgumentParser
import EventLedger
import Foundation
import JournalServiceCore
import SchoolLedger

/// `make load`'s two halves around wrk (scripts/load.sh runs them):
/// `seed` makes the school and the scripts' inputs, `check` reads the
/// answers wrk's scripts wrote and checks them against the ledger.
@main
struct JournalLoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal-load", abstract: "The reference service's load test: the school before, the checks after.",
        subcommands: [Seed.self, Check.self])
}

/// Prints a line to standard output at once (the script interleaves them with wrk's).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Makes the load's school on a fresh ledger and the scripts' inputs.")

    @Option(help: "The ledger's directory (must not exist).") var ledger: String
    @Option(help: "Where the scripts' inputs go.") var out: String
    @Option(help: "The service's JWT secret (made when missing).") var jwtSecret: String
    @Option(help: "Parents with an account, one child each (25 a class).") var parents = 500
    @Option(help: "Teachers, each teaching one of 8 subjects.") var teachers = 40

    func run() async throws {
        guard !FileManager.default.fileExists(atPath: ledger) else {
            throw ValidationError("\(ledger) exists: the load starts from a fresh ledger; remove it or name another")
        }
        guard teachers >= LoadSchool.subjects.count else { throw ValidationError("--teachers must be at least 8, one a subject") }
        let started = Date()
        let school = LoadSchool(parents: parents, teachers: teachers, today: CivilDate(of: Instant.now))
        let journal = try SchoolJournal.open(at: ledger)
        let written = try await school.write(to: journal)
        let head = try journal.ledger.head().position
        try journal.ledger.sync()
        let identity = try await JWTAccountResolver.load(secretFile: jwtSecret, create: true)
        func token(_ account: AccountID) async throws -> String { try await identity.token(for: account, lifetime: 4 * 3_600) }

        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var lines = [String]()
        for i in 0..<parents { lines.append("\(try await token(LoadSchool.parentAccount(i))) \(LoadSchool.student(i))") }
        try write(lines, "parents.txt")
        var tokens = [String]()
        for t in 0..<teachers { tokens.append(try await token(LoadSchool.teacher(t))) }
        try write(school.markTargets().map { "\(tokens[$0.teacher]) \($0.lesson) \($0.subject) \($0.student)" }, "marks.txt")
        let monday = school.today.mondayOfItsWeek
        try write(["\(monday) \(monday.adding(days: 6))"], "week.txt")
        try write([try await token("head")], "head.txt")
        try write(["\(head)"], "seed-head.txt")
        // The breach notice the script enters mid-run: teacher-01's password,
        // discovered now, after the school's set-up (its credentials) and before the run.
        let now = Instant.now
        let notice = """
            {"eventId":"\(EventID.generate())","occurredAt":"\(now)","compromiseReported":{"accountId":"\(LoadSchool.teacher(0))",\
            "discoveredAt":"\(now)","receivedByHeadAt":"\(now)","reportedBy":"head","reporter":"COMPROMISE_REPORTER_HEAD",\
            "compromised":["COMPROMISED_SECRET_PASSWORD"]}}
            """
        try write([notice], "notice.json")
        say(
            "seed: \(parents) students and parents in \(school.classes) classes, \(teachers) teachers, \(school.schoolDays.count) school days;"
                + " \(written) events to position \(head) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }

    func write(_ lines: [String], _ name: String) throws {
        try (lines.joined(separator: "\n") + "\n").write(toFile: out + "/" + name, atomically: true, encoding: .utf8)
    }
}

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Checks the run's answers against the ledger: acknowledged marks kept, refusals appended nothing, clause 11 holds.")

    @Option(help: "The ledger's directory (the service stopped).") var ledger: String
    @Option(help: "The directory of the seed's inputs and the scripts' answers (*.answers).") var out: String

    /// One answer a POST got, as the mark script wrote it: status, event id, body.
    struct Answer {
        var status: Int
        var eventID: EventID
        var positions: [UInt64]
    }

    /// What the mark script wrote: every event id it sent, and the answers
    /// it got (a request in flight when wrk stopped has none).
    struct Answers {
        var sent = Set<EventID>()
        var answers = [Answer]()
    }

    func run() async throws {
        let read = try readAnswers()
        let answers = read.answers
        let seedHead =
            UInt64(try String(contentsOfFile: out + "/seed-head.txt", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        let journal = try SchoolJournal.open(at: ledger)
        var failures = [String]()

        // Every acknowledged mark is in the ledger, where its answer said.
        let acknowledged = answers.filter { $0.status == 200 || $0.status == 201 }
        var kept = 0
        for answer in acknowledged {
            let position = try journal.ledger.position(of: answer.eventID)
            if position != nil, position == answer.positions.first {
                kept += 1
            } else {
                failures.append(
                    "acknowledged \(answer.eventID) (\(answer.status), \(answer.positions)) is at \(position.map(String.init) ?? "nowhere")"
                )
            }
        }
        report("every acknowledged mark is in the ledger", "\(kept) of \(acknowledged.count)", kept == acknowledged.count)

        // No refused request appended anything: its id is nowhere, and the log
        // after the seed holds only the acknowledged marks, the notice and the library's voids.
        let refused = answers.filter { !($0.status == 200 || $0.status == 201) }
        var appended = 0
        for answer in refused where try journal.ledger.position(of: answer.eventID) != nil {
            appended += 1
            failures.append("refused \(answer.eventID) (\(answer.status)) is in the ledger")
        }
        // A mark after the seed must be one the script sent and was not refused:
        // acknowledged, or in flight when wrk stopped (appended, never answered).
        let refusedIDs = Set(refused.map(\.eventID))
        let unanswered = read.sent.subtracting(answers.map(\.eventID))
        var counts = [String: Int]()
        var strangers = 0
        for event in try journal.ledger.events(from: seedHead + 1) {
            counts[event.type, default: 0] += 1
            let expected =
                (event.type == "MarkRecorded" && read.sent.contains(event.id) && !refusedIDs.contains(event.id))
                || event.type == "CompromiseReported" || event.type == "OperationsVoided"
            if !expected {
                strangers += 1
                failures.append("position \(event.position): a \(event.type) by \(event.actor) no acknowledged answer names")
            }
        }
        let statuses = Dictionary(grouping: refused, by: \.status).map { "\($0.value.count)×\($0.key)" }.sorted().joined(separator: ", ")
        report(
            "refused requests appended nothing",
            "\(read.sent.count) sent, \(unanswered.count) unanswered when wrk stopped, \(refused.count) refused "
                + "(\(statuses.isEmpty ? "none" : statuses)), \(appended) of them in the ledger; "
                + "after the seed: \(counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))",
            appended == 0 && strangers == 0)

        // The voids equal clause 11's rule over the whole log (the oracle).
        let clause = try SchoolJournal.verifyClauseEleven(journal.ledger)
        let audit = try journal.session(for: "admin").compromiseAudit(account: LoadSchool.teacher(0))
        let voided = Set(audit.flatMap { $0.voided.map(\.position) })
        let voidedInRun = acknowledged.filter { voided.contains($0.positions.first ?? 0) }.count
        report(
            "the voids equal the clause-11 oracle",
            "\(audit.count) notice, \(voided.count) operations of \(LoadSchool.teacher(0)) void (\(voidedInRun) of them posted in the run); "
                + "\(clause.disagreements.count) disagreements through position \(clause.checkedThrough)",
            clause.holds && audit.count == 1)
        for failure in failures.prefix(20) { say("  \(failure)") }
        try baseline(journal)
        if !failures.isEmpty { throw ExitCode.failure }
    }

    /// The same diary reads in this process, one at a time, without HTTP:
    /// the library's share of a request, on the same ledger just after the run.
    func baseline(_ journal: SchoolJournal) throws {
        let parents = try String(contentsOfFile: out + "/parents.txt", encoding: .utf8).split(separator: "\n")
        let week = try String(contentsOfFile: out + "/week.txt", encoding: .utf8).split(separator: " ")
        guard week.count == 2, let from = CivilDate(String(week[0])),
            let to = CivilDate(String(week[1]).trimmingCharacters(in: .whitespacesAndNewlines))
        else { return }
        var times = [Double]()
        for i in 0..<1_000 {
            let student = StudentID(rawValue: String(parents[i % parents.count].split(separator: " ")[1]))
            let account = LoadSchool.parentAccount(i % parents.count)
            let started = DispatchTime.now().uptimeNanoseconds
            _ = try journal.session(for: account).diary(of: student, from: from, to: to)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6)
        }
        times.sort()
        say(
            "baseline: the same diary read in-process, one at a time (rights, query, read log), 1,000 reads: "
                + String(format: "p50 %.2f ms, p99 %.2f ms", times[times.count / 2], times[times.count * 99 / 100]))
    }

    func report(_ check: String, _ detail: String, _ holds: Bool) {
        say("check: \(check): \(detail): \(holds ? "holds" : "FAILS")")
    }

    func readAnswers() throws -> Answers {
        let files = try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasSuffix(".answers") }
        var answers = Answers()
        for file in files {
            for line in try String(contentsOfFile: out + "/" + file, encoding: .utf8).split(separator: "\n") {
                let parts = line.split(separator: " ", maxSplits: 2)
                if parts.count == 2, parts[0] == "-", let id = EventID(parts[1]) {
                    answers.sent.insert(id)
                    continue
                }
                guard parts.count >= 2, let status = Int(parts[0]), let id = EventID(parts[1]) else {
                    throw ValidationError("\(file): cannot read the answer line \(line)")
                }
                var positions = [UInt64]()
                if parts.count == 3, let open = parts[2].range(of: "\"positions\":[") {
                    let list = parts[2][open.upperBound...].prefix { $0 != "]" }
                    positions = list.split(separator: ",").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
                }
                answers.answers.append(Answer(status: status, eventID: id, positions: positions))
            }
        }
        return answers
    }
}
