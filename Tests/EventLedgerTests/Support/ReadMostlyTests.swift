import Foundation
import Testing

@testable import EventLedger

@Suite("ReadMostly: a readers-writer lock around a value")
struct ReadMostlyTests {
    struct Pair: Sendable {
        var a = 0
        var b = 0
    }

    @Test func readersNeverSeeAWriteHalfDoneAndEveryWriteLands() async {
        let shared = ReadMostly(Pair())
        let torn = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<20_000 {
                        shared.write { pair in
                            pair.a += 1
                            pair.b += 1
                        }
                    }
                    return 0
                }
            }
            for _ in 0..<4 {
                group.addTask {
                    var torn = 0
                    for _ in 0..<20_000 where shared.read({ $0.a != $0.b }) { torn += 1 }
                    return torn
                }
            }
            return await group.reduce(0, +)
        }
        #expect(torn == 0)
        #expect(shared.read { $0.a } == 80_000 && shared.read { $0.b } == 80_000)
    }

    @Test func aThrowingBodyReleasesTheLock() {
        struct Refused: Error {}
        let shared = ReadMostly(1)
        #expect(throws: Refused.self) { try shared.write { _ in throw Refused() } }
        #expect(throws: Refused.self) { try shared.read { _ in throw Refused() } }
        // Both locks were released: a write and a read still go through.
        shared.write { $0 = 2 }
        #expect(shared.read { $0 } == 2)
    }
}
