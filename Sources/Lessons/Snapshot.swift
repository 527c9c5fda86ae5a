// Recorded directive outputs for `check`: lessons/.snapshots/NAME.json next to the lessons, made
// with `check --update` and compared on every later check. Numbers (and number-like table cells)
// compare within a tolerance, so another backend's last-digit differences do not fail a lesson.
import Foundation
import LessonModel

public struct Snapshot: Codable, Equatable {
  public struct Entry: Codable, Equatable {
    public var name: String
    public var arguments: String
    /// Where the directive was when recorded; informative only (prose edits move lines).
    public var line: Int
    public var outputs: [Output]
  }
  public var lesson: String
  public var directives: [Entry]

  /// The snapshot of a run: every directive not marked `:snapshot: false`, in order.
  public init(of run: LessonRun) {
    lesson = URL(fileURLWithPath: run.lesson.sourcePath).lastPathComponent
    directives = run.lesson.blocks.enumerated().compactMap { index, block in
      guard case .directive(let result) = block, !run.unsnapshottedBlocks.contains(index) else { return nil }
      return Entry(name: result.name, arguments: result.arguments, line: result.line, outputs: result.outputs)
    }
  }

  /// `lessons/.snapshots/03-attention.json` for `lessons/03-attention.md` in English, and
  /// `03-attention.pt-BR.json` in Portuguese: the explanations are part of what is compared.
  public static func url(forLessonAt path: String, language: LessonLanguage = .english) -> URL {
    let lesson = URL(fileURLWithPath: path)
    let suffix = language == .english ? "" : "." + language.rawValue
    return lesson.deletingLastPathComponent().appendingPathComponent(".snapshots")
      .appendingPathComponent(lesson.deletingPathExtension().lastPathComponent + suffix + ".json")
  }

  /// The recorded snapshot, or nil if none was recorded. A corrupt file is an error, never trusted.
  public static func load(from url: URL, shownAs path: String) throws -> Snapshot? {
    guard FileManager.default.fileExists(atPath: url.path) else { return nil }
    let text = try Lesson.readText(at: url, shownAs: path, limit: 256 << 20)
    do {
      return try Output.snapshotDecoder().decode(Snapshot.self, from: Data(text.utf8))
    } catch {
      throw LessonError.unreadable(
        path: path, reason: "not a valid snapshot (record it again with 'check --update')")
    }
  }

  public func encoded() throws -> Data {
    var data = try Output.snapshotEncoder().encode(self)
    data.append(0x0A)
    return data
  }

  public func save(to url: URL) throws { try LessonFileWriter.write(try encoded(), to: url) }
}

public struct SnapshotTolerance: Sendable {
  public var relative: Double
  public var absolute: Double
  public init(relative: Double = 1e-3, absolute: Double = 1e-5) {
    self.relative = relative
    self.absolute = absolute
  }

  func accepts(_ a: Double, _ b: Double) -> Bool {
    if a == b || (a.isNaN && b.isNaN) { return true }
    return abs(a - b) <= absolute + relative * max(abs(a), abs(b))
  }
}

extension Snapshot {
  /// Differences between a recorded snapshot and this run's, one diagnostic per directive that
  /// changed, naming the first differing value.
  public func differences(
    from recorded: Snapshot, lessonPath: String,
    tolerance: SnapshotTolerance = SnapshotTolerance()
  ) -> [Diagnostic] {
    let hint = " (if the change is intended, accept it with 'check --update')"
    guard recorded.directives.count == directives.count else {
      return [
        Diagnostic(
          .error, at: SourceLocation(path: lessonPath, line: 1),
          "the snapshot has \(recorded.directives.count) directives, the lesson now has \(directives.count)" + hint)
      ]
    }
    var problems: [Diagnostic] = []
    for (old, new) in zip(recorded.directives, directives) {
      let location = SourceLocation(path: lessonPath, line: new.line)
      guard old.name == new.name, old.arguments == new.arguments else {
        problems.append(
          Diagnostic(
            .error, at: location,
            "the snapshot has {\(old.name)} \(old.arguments) here, the lesson now has {\(new.name)} \(new.arguments)" + hint))
        continue
      }
      if let difference = Self.firstDifference(old.outputs, new.outputs, tolerance: tolerance) {
        problems.append(
          Diagnostic(
            .error, at: location,
            "output of {\(new.name)} differs from the snapshot at \(difference)" + hint))
      }
    }
    return problems
  }

  /// "outputs[1].heatmap.values[2][0]: recorded 0.41, now 0.43", or nil when they agree.
  static func firstDifference(_ a: [Output], _ b: [Output], tolerance: SnapshotTolerance) -> String? {
    let encoder = Output.snapshotEncoder()
    guard let dataA = try? encoder.encode(a), let dataB = try? encoder.encode(b),
      let treeA = try? JSONSerialization.jsonObject(with: dataA, options: [.fragmentsAllowed]),
      let treeB = try? JSONSerialization.jsonObject(with: dataB, options: [.fragmentsAllowed])
    else { return a == b ? nil : "outputs" }
    return difference(treeA, treeB, path: "outputs", tolerance: tolerance)
  }

  private static func difference(_ a: Any, _ b: Any, path: String, tolerance: SnapshotTolerance) -> String? {
    switch (a, b) {
    case (let x as [Any], let y as [Any]):
      guard x.count == y.count else { return "\(path): recorded \(x.count) items, now \(y.count)" }
      for (index, (u, v)) in zip(x, y).enumerated() {
        if let found = difference(u, v, path: "\(path)[\(index)]", tolerance: tolerance) { return found }
      }
      return nil
    case (let x as [String: Any], let y as [String: Any]):
      guard Set(x.keys) == Set(y.keys) else {
        return "\(path): recorded fields \(x.keys.sorted()), now \(y.keys.sorted())"
      }
      for key in x.keys.sorted() {
        if let found = difference(x[key]!, y[key]!, path: "\(path).\(key)", tolerance: tolerance) {
          return found
        }
      }
      return nil
    case (let x as String, let y as String):
      if x == y { return nil }
      if let u = Double(x), let v = Double(y), tolerance.accepts(u, v) { return nil }
      return "\(path): recorded \"\(x)\", now \"\(y)\""
    case (let x as NSNumber, let y as NSNumber):
      return tolerance.accepts(x.doubleValue, y.doubleValue)
        ? nil : "\(path): recorded \(x), now \(y)"
    case (is NSNull, is NSNull):
      return nil
    default:
      return "\(path): recorded \(a), now \(b)"
    }
  }
}
