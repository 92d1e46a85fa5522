import EventLedger
import LedgerTestSupport
import SchoolLedger
import Testing

@Suite("The rights matrix: every persona against every action and every read")
struct RightsMatrixTests {
    @Test func theTableCoversEveryEventTypeAndEveryView() {
        #expect(Set(RightsTable.records.map(\.eventType)) == Set(SchoolEvent.allEventTypes))
        #expect(Set(RightsTable.reads.map(\.kind)) == Set(SchoolRead.Kind.allCases))
    }

    /// Every persona outside the row is refused with an `AccessDenied` naming
    /// it and the action, and the head stays where it was; every persona in
    /// the row succeeds on a school of its own.
    @Test(arguments: RightsTable.records)
    func recording(_ row: RecordRow) async throws {
        let school = try await AccessSchool()
        let head = try school.head
        for persona in Persona.allCases where !row.allowed.contains(persona) {
            let event = row.sample(persona, school)
            let error = await #expect(throws: AccessDenied.self, "\(persona) must be refused \(row.label)") {
                try await school.session(persona).record(event, occurredAt: AccessSchool.today)
            }
            #expect(error?.account == persona.account)
            #expect(error?.action == .record(eventType: row.eventType))
            #expect(error?.missingRight.isEmpty == false)
            #expect(try school.head == head, "a refusal of \(persona) changed the ledger")
            Fixture.reportStress("refusals checked", 1)
        }
        for persona in row.allowed.sorted(by: { $0.rawValue < $1.rawValue }) {
            let own = try await AccessSchool()
            let before = try own.head.position
            do {
                let result = try await own.session(persona).record(row.sample(persona, own), occurredAt: AccessSchool.today)
                #expect(result.positions.first == before + 1)
            } catch {
                Issue.record("\(persona) must be allowed \(row.label), but: \(error)")
            }
        }
    }

    /// Every persona through its session: allowed or refused as the row
    /// says; an allowed read of someone's data adds one entry to the read
    /// log under the persona, a refused one adds none. The same read through
    /// a trusted session passes unchecked and is logged as such.
    @Test(arguments: RightsTable.reads)
    func reading(_ row: ReadRow) async throws {
        let school = try await AccessSchool()
        let log = try school.journal.readLog()
        for persona in Persona.allCases {
            let before = try log.count()
            if row.allowed.contains(persona) {
                #expect(throws: Never.self, "\(persona) must see \(row.label)") { try row.read(school.session(persona)) }
                let added = try log.entries(from: before + 1)
                #expect(added.allSatisfy { $0.account == persona.account && $0.rightsChecked && $0.view == row.kind.rawValue })
                #expect(added.count <= 1)
            } else {
                let error = #expect(throws: AccessDenied.self, "\(persona) must not see \(row.label)") {
                    try row.read(school.session(persona))
                }
                Fixture.reportStress("refusals checked", 1)
                #expect(error?.account == persona.account)
                #expect(error?.action == .read(row.kind))
                #expect(try log.count() == before, "a refused read was logged")
            }
        }
        let before = try log.count()
        try row.read(school.journal.trustedSession(for: "it-matrix"))
        #expect(try log.entries(from: before + 1).allSatisfy { $0.account == "it-matrix" && !$0.rightsChecked })
        #expect(try log.verify().isIntact)
    }
}
