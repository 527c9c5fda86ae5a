// Loads the rendered showcase in headless Chromium (Debian `chromium`): the page's script must run
// to the end (it sets data-ready on <html>), the heatmap and SVG chart must be in the DOM, and the
// browser's console must stay silent. Skipped, saying so, where Chromium is not installed.
import Foundation
import Lessons
import Render
import Testing

let chromium: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
  .first { FileManager.default.isExecutableFile(atPath: $0) }

@Suite struct BrowserTests {
  @Test(
    .enabled(if: chromium != nil, "Chromium is not installed (apt-get install -y chromium)"),
    .timeLimit(.minutes(1)))
  func renderedLessonLoadsWithoutErrors() throws {
    let folder = temporaryFolder()
    let page = folder.appendingPathComponent("showcase.html")
    try LessonFileWriter.write(HTMLRenderer().render(try runShowcase()), to: page)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: chromium!)
    process.arguments = [
      "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions",
      "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
      "--enable-logging=stderr", "--v=0", "--dump-dom", page.absoluteString,
    ]
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Read both pipes before waiting, so a full pipe cannot block the browser.
    let dom = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()

    #expect(process.terminationStatus == 0)
    #expect(dom.contains("<html lang=\"en\" data-ready=\"true\">"), "the page's script did not finish")
    #expect(dom.contains("<table class=\"heatmap\">"))
    #expect(dom.contains("<svg viewBox=\"0 0 640 300\""))
    // Console messages (errors, uncaught exceptions) appear in Chromium's log as "CONSOLE".
    let console = log.split(separator: "\n").filter { $0.contains(":CONSOLE") }
    #expect(console.isEmpty, "console output: \(console)")
  }
}
