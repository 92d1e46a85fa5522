import SchoolLedger

extension SchoolJournal {
    /// The tests' reads of the read models without a rights check: a
    /// trusted session of the test's IT account (its reads are logged too).
    var trusted: AccountSession { trustedSession(for: "it-tests") }
}
