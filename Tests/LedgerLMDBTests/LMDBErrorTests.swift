import LedgerLMDB
import Testing

@Suite("LMDB errors")
struct LMDBErrorTests {
    @Test func everyNamedCodeHasItsCNameAndAdvice() {
        let codes: [LMDBError.Code] = [
            .keyExists, .notFound, .pageNotFound, .corrupted, .panic, .versionMismatch,
            .invalid, .mapFull, .databasesFull, .readersFull, .transactionFull, .mapResized,
            .incompatible, .badTransaction, .badValueSize, .badDatabase, .noSuchFile,
            .permissionDenied, .noSpace, .ioError,
        ]
        for code in codes {
            #expect(!code.description.hasPrefix("code "), "\(code.rawValue) has no name")
            #expect(!code.advice.isEmpty)
        }
        #expect(Set(codes).count == codes.count)
    }

    @Test func checkPassesSuccessAndNamesTheOperationOtherwise() throws {
        try LMDBError.check(0, "mdb_nothing")
        let error = #expect(throws: LMDBError.self) { try LMDBError.check(LMDBError.Code.mapFull.rawValue, "mdb_put(log)") }
        #expect(error?.code == .mapFull)
        #expect(error?.description.contains("mdb_put(log)") == true)
        #expect(error?.description.contains("MDB_MAP_FULL") == true)
    }

    @Test func corruptionCodesSayStopAndRestore() {
        #expect(LMDBError.Code.corrupted.meansCorruption)
        #expect(LMDBError.Code.pageNotFound.advice.contains("backup"))
        #expect(!LMDBError.Code.mapFull.meansCorruption)
    }
}
