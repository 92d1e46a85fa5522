import EventLedger
import Foundation
import LedgerPostgres
import LedgerTestSupport
import SchoolLedger
import Testing

// The README's PostgreSQL example ("Running on PostgreSQL"), compiled and
// run here against the tests' server: the lines between the markers must
// equal the README's `swift` block after `<!-- tested-example: postgres -->`.

// README example begin
func openSchoolOnTheRegionsServer(regionURL: String, nodeDirectory: String) throws -> SchoolJournal {
    // The school's log on the region's server (regionURL is, for example,
    // postgres://ledger@db.region:5432/region?ledger=school-42); this node's
    // read models, read log and vault in a local directory of its own.
    let location = try PostgresLocation(url: regionURL)
    let ledger = try EventLedger.open(storage: PostgresLogStorage(location), readModels: nodeDirectory)
    return try SchoolJournal.open(ledger: ledger)
}
// README example end

@Suite("The README on PostgreSQL")
struct ReadmePostgresExampleTests {
    @Test func thePostgreSQLExampleOpensAJournalThatRecords() async throws {
        let node = TemporaryDirectory("region-node")
        let url = try TestPostgres.location(ledger: "school-\(UUID().uuidString)").description
        let journal = try openSchoolOnTheRegionsServer(regionURL: url, nodeDirectory: node.path)
        #expect(try journal.ledger.head().position == 0)
        #expect(try journal.ledger.verify().isIntact)
    }

    @Test func theREADMEShowsExactlyTheCompiledExample() throws {
        let example = try Fixture.readmeExample("postgres", compiledIn: #filePath, marker: "tested-example")
        #expect(!example.compiled.isEmpty)
        #expect(example.shown == example.compiled)
    }
}
