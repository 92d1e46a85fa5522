import Foundation
import Hummingbird
import HummingbirdTesting
import JournalServiceCore
import Testing

/// The parent's page as a browser shows it: served by the live service,
/// rendered by headless Chromium (Debian's `chromium`, which
/// `make service-test` installs), its screenshot taken and its text read
/// from the DOM the browser built.
@Suite("The parent's page in headless Chromium")
struct DiaryPageScreenshotTests {
    static let chromium = ProcessInfo.processInfo.environment["CHROMIUM"] ?? "/usr/bin/chromium"

    /// Runs Chromium headless on `url` with `arguments`; its standard output.
    static func chromium(_ arguments: [String], _ url: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        // --no-sandbox: the tests run as root in CI, where Chromium's sandbox refuses to start.
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"] + arguments + [url.absoluteString]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func theWeekRendersInChromiumWithItsMarks() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.chromium),
            "headless Chromium is missing at \(Self.chromium): make service-test installs Debian's chromium, or set CHROMIUM")
        let school = try await ServiceSchool()
        defer { school.remove() }
        let token = try await school.token("acc-p1")
        let html = try await Application(router: try school.service.router()).test(.live) { client in
            try await client.execute(
                uri: "/diary?student=S-1&week=2026-09-14", method: .get, headers: [.authorization: "Bearer \(token)"]
            ) { response in
                #expect(response.status == .ok)
                return String(buffer: response.body)
            }
        }
        // The page as served, opened from a file: Chromium's command line sends no Authorization header.
        let folder = URL(fileURLWithPath: school.directory + "-page", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("diary.html")
        try html.write(to: page, atomically: true, encoding: .utf8)
        let screenshot = folder.appendingPathComponent("diary.png")
        _ = try Self.chromium(["--window-size=1000,1400", "--screenshot=\(screenshot.path)"], page)
        let png = try Data(contentsOf: screenshot)
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
        #expect(png.count > 10_000, "a page with text on it, not a blank: \(png.count) bytes")
        // The text of the page as the browser built it.
        let dom = try Self.chromium(["--dump-dom"], page)
        #expect(dom.contains("Дневник ученика S-1"))
        #expect(dom.contains("<span class=\"mark\">5</span>"), "the mark of 14.09")
        #expect(dom.contains("присутствовал(а)"))
        #expect(dom.contains("№ 12–15, с. 8"))
        if let keep = ProcessInfo.processInfo.environment["DIARY_SCREENSHOT"] {
            try png.write(to: URL(fileURLWithPath: keep))
        }
    }
}
