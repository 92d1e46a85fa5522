import EventLedger
import SchoolLedger
import Foundation
import LedgerTestSupport
import Testing

@Suite("The schoolledger command")
struct CommandTests {
    func cli(_ arguments: String...) throws -> (status: Int32, output: String, error: String) {
        try Fixture.run("schoolledger", arguments)
    }

    @Test func verifyExitsZeroAndPrintsTheHeadOfAnIntactLedger() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path)
        _ = try await ledger.append([Fixture.event(), Fixture.event()])
        let head = try ledger.head()
        let result = try cli("verify", "--ledger", dir.path)
        #expect(result.status == 0)
        #expect(result.output.contains("chain intact"))
        #expect(result.output.contains(head.hash.hex))
    }

    @Test func verifyExitsOneNamingTheFirstBadPosition() async throws {
        let dir = TemporaryDirectory()
        let copy = TemporaryDirectory("copy")
        let ledger = try EventLedger.open(at: dir.path)
        for n in 1...5 { _ = try await ledger.append(Fixture.event(payload: "PAYLOAD-\(n)-END")) }
        try Fixture.copyDataFile(from: dir.path, to: copy.path, replacing: "PAYLOAD-4-END", with: "XAYLOAD-4-END")
        let result = try cli("verify", "--ledger", copy.path)
        #expect(result.status == 1)
        #expect(result.output.contains("BROKEN at position 4"))
        let json = try cli("verify", "--ledger", copy.path, "--json")
        struct Output: Decodable { var chain: VerificationReport }
        let report = try JSONDecoder().decode(Output.self, from: Data(json.output.utf8)).chain
        #expect(report.firstBadPosition == 4)
    }

    @Test func headPrintsJSONThatVerifiesLater() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path)
        _ = try await ledger.append(Fixture.event())
        let result = try cli("head", "--ledger", dir.path)
        #expect(result.status == 0)
        let head = try JSONDecoder().decode(ChainHead.self, from: Data(result.output.utf8))
        #expect(head == (try ledger.head()))
        _ = try await ledger.append(Fixture.event())
        #expect(try ledger.verify(against: head).isIntact)
    }

    @Test func statsCountsEventsStreamsAndReaders() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path)
        _ = try await ledger.append([Fixture.event("a"), Fixture.event("b"), Fixture.event("a")])
        let result = try cli("stats", "--ledger", dir.path, "--json")
        #expect(result.status == 0)
        let stats = try JSONDecoder().decode(LedgerStatistics.self, from: Data(result.output.utf8))
        #expect(stats.events == 3)
        #expect(stats.streams == 2)
        #expect(stats.maxReaders == 126)
        #expect(stats.databases["ledger.log"]?.entries == 3)
    }

    @Test func aMissingLedgerIsAnErrorThatCreatesNothing() throws {
        let dir = TemporaryDirectory()
        let missing = dir.sub("nothing-here")
        let result = try cli("verify", "--ledger", missing)
        #expect(result.status != 0)
        #expect(result.error.contains("No ledger"))
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test func theCLIReadsWhileThisProcessAppends() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path)
        _ = try await ledger.append(Fixture.event())
        let writer = Task {
            for n in 0..<300 { _ = try await ledger.append(Fixture.event("s\(n % 5)")) }
        }
        var seen = [UInt64]()
        for _ in 0..<5 {
            let result = try cli("stats", "--ledger", dir.path, "--json")
            #expect(result.status == 0, "\(result.error)")
            let stats = try JSONDecoder().decode(LedgerStatistics.self, from: Data(result.output.utf8))
            seen.append(stats.events)
            let verify = try cli("verify", "--ledger", dir.path)
            #expect(verify.status == 0, "\(verify.output)")
        }
        try await writer.value
        #expect(seen == seen.sorted())
        #expect(try ledger.head().position == 301)
    }

    @Test func demoRunsTwiceAndTheSecondRunAppendsNothing() throws {
        let dir = TemporaryDirectory()
        let path = dir.sub("demo-ledger")
        let first = try cli("demo", "--ledger", path)
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output.contains("chain intact"))
        #expect(first.output.contains(path))
        let head = try EventLedger.open(at: path, options: .readOnly).head()
        let second = try cli("demo", "--ledger", path)
        #expect(second.status == 0)
        #expect(second.output.contains("wasDuplicate = true"))
        #expect(try EventLedger.open(at: path, options: .readOnly).head() == head)
    }

    @Test func rebuildCheckOnTheDemoLedgerExitsZeroAndPrintsEventsPerSecond() throws {
        let dir = TemporaryDirectory()
        let path = dir.sub("demo-ledger")
        #expect(try cli("demo", "--ledger", path).status == 0)
        let check = try cli("rebuild", "--ledger", path, "--check")
        #expect(check.status == 0, "\(check.error)")
        #expect(check.output.contains("events/s"))
        #expect(check.output.contains("equals a rebuild"))
        let rebuild = try cli("rebuild", "--ledger", path, "--projection", "event-type-counts")
        #expect(rebuild.status == 0)
        #expect(rebuild.output.contains("rebuilt and swapped in"))
        let list = try cli("projections", "--ledger", path, "--json")
        let statuses = try JSONDecoder().decode([ProjectionStatus].self, from: Data(list.output.utf8))
        #expect(statuses.map(\.name) == ["event-type-counts", "journal-index"])
        #expect(statuses.allSatisfy { $0.lag == 0 && $0.builtVersion == $0.version })
    }

    @Test func rebuildOfAnUnknownProjectionIsAUsageError() throws {
        let dir = TemporaryDirectory()
        let path = dir.sub("demo-ledger")
        #expect(try cli("demo", "--ledger", path).status == 0)
        let result = try cli("rebuild", "--ledger", path, "--projection", "no-such-model")
        #expect(result.status != 0)
        #expect(result.error.contains("Unknown projection"))
    }

    @Test func queryAnswersTheDemoAsTablesAndJSONAndAsOfAPastPosition() throws {
        let dir = TemporaryDirectory()
        let path = dir.sub("demo-ledger")
        #expect(try cli("demo", "--ledger", path).status == 0)
        let table = try cli(
            "query", "--ledger", path, "journal", "--class", "7A", "--subject", "MATH", "--from", "2026-09-01", "--to", "2026-09-30")
        #expect(table.status == 0, "\(table.error)")
        #expect(table.output.contains("S-1001"))
        #expect(table.output.contains("09-02"))
        let json = try cli(
            "query", "--ledger", path, "marks", "--student", "S-1001", "--from", "2026-09-01", "--to", "2026-09-30", "--json")
        #expect(json.status == 0, "\(json.error)")
        let report = try JSONDecoder().decode(StudentMarks.self, from: Data(json.output.utf8))
        #expect(Set(report.subjects.map(\.subjectID)) == ["MATH", "ENG"])
        // The demo's first 49 positions are the year's set-up and first week; its marks come after.
        let earlier = try cli(
            "query", "--ledger", path, "marks", "--student", "S-1001", "--from", "2026-09-01", "--to", "2026-09-30",
            "--as-of", "49", "--json")
        let then = try JSONDecoder().decode(StudentMarks.self, from: Data(earlier.output.utf8))
        #expect(then.asOfPosition == 49)
        #expect(then.subjects.isEmpty)
        let list = try cli("query", "--ledger", path, "class-list", "--class", "7B", "--on", "2026-09-02", "--json")
        #expect(try JSONDecoder().decode([String].self, from: Data(list.output.utf8)) == ["S-2001", "S-2002", "S-2003"])
    }

    /// Every view the help lists is one the command takes, spelled in full.
    @Test func queryHelpNamesEveryViewAsTheCommandTakesIt() throws {
        let help = try cli("query", "--help").output
        for view in [
            "diary", "marks", "journal", "timetable", "tests", "holidays", "teachers", "parents", "acknowledgements", "outbox",
            "class-list", "group-list",
        ] {
            #expect(help.contains("\n  \(view) "), "\(view) is not listed in full")
        }
    }

    @Test func queryShowsTheDiaryAndTheTimetables() throws {
        let dir = TemporaryDirectory()
        let path = dir.sub("demo-ledger")
        #expect(try cli("demo", "--ledger", path).status == 0)
        let diary = try cli(
            "query", "--ledger", path, "diary", "--student", "S-1001", "--from", "2026-08-31", "--to", "2026-09-06", "--json")
        #expect(diary.status == 0, "\(diary.error)")
        let parsed = try JSONDecoder().decode(StudentDiary.self, from: Data(diary.output.utf8))
        #expect(parsed.lessons.map(\.subjectID) == ["MATH", "ENG", "RUS"])
        #expect(parsed.lessons.last?.isMoved == true)
        #expect(parsed.lessons[1].substituteID == "teacher-petrova")
        #expect(parsed.lessons.first?.homework.count == 1)
        #expect(parsed.tests.map(\.testID) == ["T-7A-MATH-1"])
        let table = try cli("query", "--ledger", path, "timetable", "--class", "7A", "--from", "2026-08-31", "--to", "2026-09-06")
        #expect(table.output.contains("group 7A-ENG-1"))
        let teacher = try cli(
            "query", "--ledger", path, "timetable", "--teacher", "teacher-math", "--from", "2026-08-31", "--to", "2026-09-06", "--json")
        #expect(try JSONDecoder().decode(Timetable.self, from: Data(teacher.output.utf8)).entries.count == 2)
    }

    @Test func queryListsHolidaysAndTests() throws {
        let dir = TemporaryDirectory()
        let path = dir.sub("demo-ledger")
        #expect(try cli("demo", "--ledger", path).status == 0)
        let holidays = try cli("query", "--ledger", path, "holidays", "--year", "2026-2027")
        #expect(holidays.status == 0, "\(holidays.error)")
        #expect(holidays.output.contains("Осенние каникулы"))
        let tests = try cli("query", "--ledger", path, "tests", "--class", "7A", "--from", "2026-09-01", "--to", "2026-12-31", "--json")
        #expect(tests.status == 0, "\(tests.error)")
        #expect(try JSONDecoder().decode([ScheduledTest].self, from: Data(tests.output.utf8)).map(\.testID) == ["T-7A-MATH-1"])
        let teachers = try cli("query", "--ledger", path, "teachers", "--class", "7A", "--on", "2026-09-02", "--json")
        #expect(teachers.status == 0, "\(teachers.error)")
    }

    /// A read-only query never folds the whole log when the index lags: it
    /// says how far behind the index is and what to run, and after
    /// `projections --catch-up` (the cost of the lag) it answers.
    @Test func aQueryOnALaggingIndexSaysSoAndProjectionsCatchUpBringsItUpToDate() async throws {
        let dir = TemporaryDirectory()
        let path = dir.sub("demo-ledger")
        #expect(try cli("demo", "--ledger", path).status == 0)
        do {
            // Another program appends without the journal's index registered.
            let ledger = try EventLedger.open(at: path)
            let winter = HolidayPeriodDeclared(
                holidayID: "H-WINTER", academicYearID: "2026-2027", title: "Зимние каникулы",
                dates: DateRange(start: CivilDate("2026-12-29")!, end: CivilDate("2027-01-08")!))
            let entry = JournalEntry(event: .holidayPeriodDeclared(winter), actor: "admin", occurredAt: Fixture.occurred)
            _ = try await ledger.append(try EventCoding.newEvent(entry))
        }
        let refused = try cli("query", "--ledger", path, "holidays", "--year", "2026-2027")
        #expect(refused.status != 0)
        #expect(refused.error.contains("1 records behind"), "\(refused.error)")
        #expect(refused.error.contains("projections --catch-up"))
        let caughtUp = try cli("projections", "--ledger", path, "--catch-up", "--json")
        #expect(caughtUp.status == 0, "\(caughtUp.error)")
        let statuses = try JSONDecoder().decode([ProjectionStatus].self, from: Data(caughtUp.output.utf8))
        #expect(statuses.allSatisfy { $0.lag == 0 })
        let holidays = try cli("query", "--ledger", path, "holidays", "--year", "2026-2027")
        #expect(holidays.status == 0, "\(holidays.error)")
        #expect(holidays.output.contains("Зимние каникулы"))
    }

    @Test func noFileOfTheDemoLedgerHoldsANamePhoneOrEmailInClear() throws {
        let dir = TemporaryDirectory()
        let path = dir.sub("demo-ledger")
        #expect(try cli("demo", "--ledger", path).status == 0)
        var files = [String]()
        let walker = FileManager.default.enumerator(atPath: path)
        while let file = walker?.nextObject() as? String { files.append(path + "/" + file) }
        let data = try files.filter {
            !(try FileManager.default.attributesOfItem(atPath: $0)[.type] as? FileAttributeType == .typeDirectory)
        }
        .map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        #expect(data.count >= 4)  // data.mdb and lock.mdb of the ledger and of its vault
        for secret in [
            "Иванова", "Анна", "Петров", "Смирнова", "Кузнецов", "Соколова", "Попов", "Ольга", "+79161234567", "+79031112233",
            "olga.ivanova@example.ru", "2013-03-14",
        ] {
            #expect(data.allSatisfy { $0.range(of: Data(secret.utf8)) == nil }, "\(secret) is in a file in clear")
        }
        // Yet the views show the names, read through the vault.
        let list = try cli("query", "--ledger", path, "class-list", "--class", "7A", "--on", "2026-09-02")
        #expect(list.output.contains("Иванова Анна Сергеевна"))
    }

    @Test func auditCompromiseShowsTheDemosBreach() throws {
        let dir = TemporaryDirectory()
        let path = dir.sub("demo-ledger")
        #expect(try cli("demo", "--ledger", path).status == 0)
        let json = try cli("audit", "compromise", "--ledger", path, "--json")
        #expect(json.status == 0, "\(json.error)")
        let audits = try JSONDecoder().decode([CompromiseNoticeAudit].self, from: Data(json.output.utf8))
        let notice = try #require(audits.first)
        #expect(audits.count == 1)
        #expect(notice.accountID == "teacher-english")
        #expect(notice.voided.map(\.eventType) == ["MarkRecorded", "MarkRecorded"])
        #expect(notice.voided.allSatisfy { $0.isVoid })
        #expect(notice.suspect.count == 2)
        #expect(notice.isLate)
        #expect(notice.window.closedByPosition != nil)
        let text = try cli("audit", "compromise", "--ledger", path, "--account", "teacher-english")
        #expect(text.output.contains("LATE"))
        #expect(text.output.contains("SUSPECT"))
        let none = try cli("audit", "compromise", "--ledger", path, "--account", "teacher-math")
        #expect(none.output.contains("No breach notices"))
        // As of the position before the notice, nothing was reported yet.
        let before = try cli("audit", "compromise", "--ledger", path, "--as-of", "\(notice.position - 1)", "--json")
        #expect(try JSONDecoder().decode([CompromiseNoticeAudit].self, from: Data(before.output.utf8)).isEmpty)
    }

    @Test func queryAsAnAccountAnswersOnlyWhatItMaySee() throws {
        let dir = TemporaryDirectory()
        let path = dir.sub("demo-ledger")
        #expect(try cli("demo", "--ledger", path).status == 0)
        let own = try cli(
            "query", "--ledger", path, "diary", "--student", "S-1001", "--from", "2026-09-01", "--to", "2026-09-07",
            "--as", "parent-1001", "--json")
        #expect(own.status == 0, "\(own.error)")
        let other = try cli(
            "query", "--ledger", path, "diary", "--student", "S-1002", "--from", "2026-09-01", "--to", "2026-09-07",
            "--as", "parent-1001")
        #expect(other.status != 0)
        #expect(other.error.contains("parent-1001 may not read diary"))
        #expect(other.output.isEmpty)
        let readOnly = try cli(
            "query", "--ledger", path, "journal", "--class", "7A", "--subject", "RUS", "--from", "2026-09-01",
            "--to", "2026-09-30", "--as", "teacher-math")
        #expect(readOnly.status == 0, "the class teacher views every subject of her class: \(readOnly.error)")
    }

    @Test func queryShowsTheDemosParents() throws {
        let dir = TemporaryDirectory()
        let path = dir.sub("demo-ledger")
        #expect(try cli("demo", "--ledger", path).status == 0)
        let result = try cli("query", "--ledger", path, "parents", "--class", "7A", "--on", "2026-09-02", "--json")
        #expect(result.status == 0, "\(result.error)")
        let parents = try JSONDecoder().decode([ParentStatus].self, from: Data(result.output.utf8))
        #expect(parents.map(\.parentID) == ["P-1001", "P-1002"])
        #expect(parents.map { $0.children.first?.needsPaperExtracts } == [false, true])
        let outbox = try cli("query", "--ledger", path, "outbox", "--json")
        #expect(outbox.status == 0, "\(outbox.error)")
        let messages = try JSONDecoder().decode([OutboxMessage].self, from: Data(outbox.output.utf8))
        // The demo's SMS gateway reported every message delivered, then a breach voided a 2
        // the mother had been told about: she is owed a correction.
        #expect(messages.map(\.parentID) == ["P-1001"])
        #expect(messages.map(\.reason) == [.voidedMark])
        let acknowledgements = try cli("query", "--ledger", path, "acknowledgements", "--class", "7A", "--days", "0")
        #expect(acknowledgements.status == 0, "\(acknowledgements.error)")
        #expect(acknowledgements.output.contains("P-1001"))
    }

    @Test func queryWithoutItsRequiredOptionSaysWhichIsMissing() throws {
        let dir = TemporaryDirectory()
        let path = dir.sub("demo-ledger")
        #expect(try cli("demo", "--ledger", path).status == 0)
        let result = try cli("query", "--ledger", path, "marks", "--from", "2026-09-01", "--to", "2026-09-30")
        #expect(result.status != 0)
        #expect(result.error.contains("--student"))
        let badDate = try cli("query", "--ledger", path, "class-list", "--class", "7A", "--on", "01.09.2026")
        #expect(badDate.error.contains("YYYY-MM-DD"))
    }

    @Test func mdbStatListsTheLedgersNamedDatabases() throws {
        let mdbStat = ["/usr/bin/mdb_stat", "/usr/local/bin/mdb_stat"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let mdbStat else {
            Issue.record("mdb_stat is missing: `make test` installs lmdb-utils")
            return
        }
        let dir = TemporaryDirectory()
        let path = dir.sub("demo-ledger")
        #expect(try cli("demo", "--ledger", path).status == 0)
        let process = try Spawned(mdbStat, ["-a", path])
        let status = process.wait().status
        let text = process.output
        #expect(status == 0)
        for name in ["ledger.log", "ledger.event-ids", "ledger.streams", "ledger.actors", "ledger.meta"] {
            #expect(text.contains("Status of \(name)"))
        }
    }
}
