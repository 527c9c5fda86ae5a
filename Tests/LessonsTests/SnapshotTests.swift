// Snapshots for `check`: JSON round trip of every output kind, comparison within a tolerance,
// naming the first differing value, `:snapshot: false`, and corrupt files refused.
import Foundation
import LessonModel
import Testing

@testable import Lessons

@Suite struct SnapshotTests {
  func run(_ source: String) throws -> LessonRun {
    Interpreter().run(try prepare(source))
  }

  @Test func everyOutputKindRoundTrips() throws {
    let outputs = FakeDirective.everyOutput(label: "x", draws: [0.5, 0.25])
    let data = try Output.snapshotEncoder().encode(outputs)
    #expect(try Output.snapshotDecoder().decode([Output].self, from: data) == outputs)
    // The JSON names each kind by one key rather than "_0".
    let text = String(decoding: data, as: UTF8.self)
    #expect(text.contains("\"heatmap\" : {"))
    #expect(!text.contains("_0"))
    #expect(text.contains("\"format\" : \"fixed:2\""))
  }

  @Test func nonFiniteNumbersSurvive() throws {
    // JSON has no NaN or infinity: they are written as strings and read back.
    let outputs: [Output] = [.bars(BarChart(items: [BarItem(label: "a", value: .nan), BarItem(label: "b", value: -.infinity)]))]
    let data = try Output.snapshotEncoder().encode(outputs)
    #expect(String(decoding: data, as: UTF8.self).contains("\"nan\""))
    guard case .bars(let chart) = try Output.snapshotDecoder().decode([Output].self, from: data)[0] else {
      Issue.record("not bars")
      return
    }
    #expect(chart.items[0].value.isNaN)
    #expect(chart.items[1].value == -.infinity)
  }

  @Test func recordsAndComparesWithinTolerance() throws {
    let recorded = Snapshot(of: try run("```{fake} a\n:count: 2\n```\n"))
    #expect(recorded.directives.map(\.name) == ["fake"])
    // Same lesson, same outputs.
    #expect(Snapshot(of: try run("```{fake} a\n:count: 2\n```\n")).differences(from: recorded, lessonPath: "l.md").isEmpty)
    // A scaled draw: "a: 0.1234 0.5678" becomes different numbers → reported at the directive's line.
    let changed = Snapshot(of: try run("\n\n```{fake} a\n:count: 2\n:scale: 2\n```\n"))
    let problems = changed.differences(from: recorded, lessonPath: "l.md")
    #expect(problems.count == 1)
    #expect(problems.first?.location.line == 3)
    #expect(
      problems.first?.message.hasPrefix("output of {fake} differs from the snapshot at outputs[0].text.spans[0].text") == true)
  }

  @Test func numbersWithinToleranceAreEqual() {
    let tolerance = SnapshotTolerance(relative: 1e-3, absolute: 1e-5)
    let a: [Output] = [
      .bars(BarChart(items: [BarItem(label: "x", value: 0.41)])),
      .table(Table(headers: ["v"], rows: [["0.4132"]])),
    ]
    let close: [Output] = [
      .bars(BarChart(items: [BarItem(label: "x", value: 0.4102)])),
      .table(Table(headers: ["v"], rows: [["0.4133"]])),
    ]
    let far: [Output] = [
      .bars(BarChart(items: [BarItem(label: "x", value: 0.42)])),
      .table(Table(headers: ["v"], rows: [["0.4133"]])),
    ]
    #expect(Snapshot.firstDifference(a, close, tolerance: tolerance) == nil)
    #expect(Snapshot.firstDifference(a, far, tolerance: tolerance) == "outputs[0].bars.items[0].value: recorded 0.41, now 0.42")
    let text: [Output] = [.table(Table(headers: ["v"], rows: [["gato"]]))]
    let otherText: [Output] = [.table(Table(headers: ["v"], rows: [["rato"]]))]
    #expect(
      Snapshot.firstDifference(text, otherText, tolerance: tolerance)
        == "outputs[0].table.rows[0][0]: recorded \"gato\", now \"rato\"")
  }

  @Test func structureChangesAreReported() throws {
    let two = Snapshot(of: try run("```{fake} a\n```\n\n```{fake} b\n```\n"))
    let one = Snapshot(of: try run("```{fake} a\n```\n"))
    #expect(
      one.differences(from: two, lessonPath: "l.md").map(\.summary) == [
        "l.md:1:1: error: the snapshot has 2 directives, the lesson now has 1 (if the change is intended, accept it with 'check --update')"
      ])
    let renamed = Snapshot(of: try run("```{fake} a\n```\n\n```{fake} c\n```\n"))
    #expect(
      renamed.differences(from: two, lessonPath: "l.md").map(\.message) == [
        "the snapshot has {fake} b here, the lesson now has {fake} c (if the change is intended, accept it with 'check --update')"
      ])
  }

  @Test func optingOutOfTheSnapshot() throws {
    let result = try run("```{fake} a\n:snapshot: false\n```\n\n```{fake} b\n```\n")
    #expect(Snapshot(of: result).directives.map(\.arguments) == ["b"])
  }

  @Test func savesAtomicallyAndRefusesCorruptFiles() throws {
    let folder = temporaryFolder()
    let lessonPath = folder.appendingPathComponent("03-attention.md").path
    let url = Snapshot.url(forLessonAt: lessonPath)
    #expect(url.path == folder.appendingPathComponent(".snapshots/03-attention.json").path)
    #expect(
      Snapshot.url(forLessonAt: lessonPath, language: .brazilianPortuguese).path
        == folder.appendingPathComponent(".snapshots/03-attention.pt-BR.json").path)
    #expect(try Snapshot.load(from: url, shownAs: "s.json") == nil)
    let snapshot = Snapshot(of: try run("```{fake} a\n:mode: all\n```\n"))
    try snapshot.save(to: url)
    #expect(try Snapshot.load(from: url, shownAs: "s.json") == snapshot)
    // Byte-identical when saved again: sorted keys, no dates.
    let first = try Data(contentsOf: url)
    try snapshot.save(to: url)
    #expect(try Data(contentsOf: url) == first)
    #expect(try FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path) == ["03-attention.json"])
    try Data("{\"lesson\": 3".utf8).write(to: url)
    #expect(
      throws: LessonError.unreadable(path: "s.json", reason: "not a valid snapshot (record it again with 'check --update')")
    ) {
      try Snapshot.load(from: url, shownAs: "s.json")
    }
  }
}
