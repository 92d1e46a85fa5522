import EventLedger
import LedgerPostgres
import Testing

@Suite("PostgreSQL locations")
struct PostgresLocationTests {
    @Test func aURLGivesEveryPart() throws {
        let location = try PostgresLocation(url: "postgres://ledger:secret@db.region.local:6432/journal?ledger=school-42", environment: [:])
        #expect(
            location
                == PostgresLocation(
                    host: "db.region.local", port: 6432, user: "ledger", password: "secret", database: "journal", ledger: "school-42"))
        #expect(!location.description.contains("secret"))
        #expect(location.description == "postgres://ledger@db.region.local:6432/journal?ledger=school-42")
    }

    @Test func thePortTheLedgerAndThePasswordHaveDefaults() throws {
        let location = try PostgresLocation(url: "postgresql://ledger@127.0.0.1/journal", environment: ["PGPASSWORD": "from-env"])
        #expect(location.port == 5432)
        #expect(location.ledger == "default")
        #expect(location.password == "from-env")
    }

    @Test(arguments: [
        ("/var/lib/ledger", "not a postgres:// URL"),
        ("postgres://127.0.0.1:5432/journal", "no user"),
        ("postgres://ledger@127.0.0.1:5432/", "no database"),
        ("postgres://ledger@127.0.0.1:5432/journal?sslmode=require", "'sslmode' is not an option"),
        ("postgres://ledger@127.0.0.1:5432/journal?ledger=", "1 to 200 bytes"),
    ])
    func aMalformedURLIsATypedErrorNamingThePart(url: String, names: String) {
        #expect {
            try PostgresLocation(url: url, environment: [:])
        } throws: { error in
            guard let error = error as? LedgerError else { return false }
            return error.code == .invalidLocation && error.message.contains(names)
        }
    }

    @Test func aPasswordNeverShowsInAnError() {
        #expect {
            try PostgresLocation(url: "postgres://ledger:hunter2@127.0.0.1:5432/", environment: [:])
        } throws: { error in
            "\(error)".contains("no database") && !"\(error)".contains("hunter2")
        }
    }
}
