import EventLedger
import LedgerTestSupport
import Testing

@Suite("Validation before append")
struct ValidationTests {
    static func with(_ change: (inout NewEvent) -> Void) -> NewEvent {
        var e = Fixture.event()
        change(&e)
        return e
    }

    static let cases: [(String, NewEvent)] = [
        ("stream", with { $0.stream = "" }),
        ("stream", with { $0.stream = String(repeating: "s", count: Limits.maxStreamBytes + 1) }),
        ("stream", with { $0.stream = "class\u{0}7B" }),
        ("stream", with { $0.stream = "класс-7Б\u{1F}" }),
        // Longer than a string stored inline (15 bytes): read from its buffer.
        ("stream", with { $0.stream = String(repeating: "lesson/", count: 6) + "\u{7}" }),
        ("type", with { $0.type = "" }),
        ("type", with { $0.type = "Mark\nRecorded" }),
        ("type", with { $0.type = String(repeating: "t", count: Limits.maxTypeBytes + 1) }),
        ("actor", with { $0.actor = "" }),
        ("actor", with { $0.actor = String(repeating: "я", count: Limits.maxActorBytes / 2 + 1) }),
        ("actor", with { $0.actor = "teacher\u{7F}" }),
        ("schemaVersion", with { $0.schemaVersion = 0 }),
        ("occurredAt", with { $0.occurredAt = Instant(microsecondsSinceEpoch: -1) }),
        ("occurredAt", with { $0.occurredAt = Instant.latestValid.adding(microseconds: 1) }),
        ("payload", with { $0.payload = [UInt8](repeating: 0, count: Limits.maxPayloadBytes + 1) }),
    ]

    @Test(arguments: cases)
    func invalidEventIsRefusedNamingTheFieldAndAppendsNothing(field: String, event: NewEvent) async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path)
        _ = try await ledger.append(Fixture.event())
        let head = try ledger.head()
        let error = await #expect(throws: LedgerError.self) { try await ledger.append([Fixture.event(), event]) }
        #expect(error?.code == .invalidEvent)
        #expect(error?.field == field)
        #expect(error?.eventID == event.id)
        #expect(error?.message.contains(field) == true)
        #expect(try ledger.head() == head)
    }

    @Test(arguments: Backend.allCases) func limitsAreInclusive(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        let e = Self.with {
            $0.stream = String(repeating: "s", count: Limits.maxStreamBytes)
            $0.type = String(repeating: "t", count: Limits.maxTypeBytes)
            $0.actor = String(repeating: "я", count: Limits.maxActorBytes / 2)
            $0.occurredAt = Instant.latestValid
        }
        #expect(try await ledger.append(e).positions == [1])
    }

    @Test func aNameIsReadByteByByteForControlCharactersAndOtherTextsPass() async throws {
        let dir = TemporaryDirectory()
        let ledger = try EventLedger.open(at: dir.path)
        // Letters of any script, an emoji, and U+0085 (a C1 control, two bytes
        // in UTF-8, which the ledger's names allow) pass.
        let passing = Self.with {
            $0.stream = "класс-7Б/🙂"
            $0.type = "Отметка"
            $0.actor = "учитель\u{85}"
        }
        #expect(try await ledger.append(passing).positions == [1])
        let error = await #expect(throws: LedgerError.self) {
            try await ledger.append(Self.with { $0.actor = "учитель\u{1B}" })
        }
        #expect(error?.message.contains("the control character U+1B") == true, "\(String(describing: error))")
    }

    @Test(arguments: Backend.allCases) func anEmptyAppendIsRefused(backend: Backend) async throws {
        let dir = TemporaryDirectory()
        let ledger = try backend.open(at: dir.path)
        let error = await #expect(throws: LedgerError.self) { try await ledger.append([]) }
        #expect(error?.code == .invalidEvent)
    }
}
