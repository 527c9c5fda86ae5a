// Golden files: expected outputs committed under Tests/Fixtures/golden/, compared byte for byte.
// They are rewritten only on purpose: `UPDATE_GOLDEN=1 swift test --filter …`, then review the diff.
import Foundation

public enum Golden {
  public static let folder = TestPaths.fixtures.appendingPathComponent("golden")

  public static var isUpdating: Bool { ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" }

  /// Nil when `actual` equals the golden file `name`; otherwise a message naming the first
  /// differing line. With UPDATE_GOLDEN=1 the file is (re)written and nil returned.
  public static func mismatch(_ actual: String, _ name: String) -> String? {
    let url = folder.appendingPathComponent(name)
    if isUpdating {
      try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      do {
        try Data(actual.utf8).write(to: url, options: .atomic)
        return nil
      } catch {
        return "cannot write \(url.path): \(error)"
      }
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
      return "missing golden file \(name); create it with UPDATE_GOLDEN=1 swift test"
    }
    if expected == actual { return nil }
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
    for index in 0..<max(a.count, b.count) {
      let x = index < a.count ? String(a[index]) : "<end of file>"
      let y = index < b.count ? String(b[index]) : "<end of file>"
      if x != y {
        return "\(name) differs at line \(index + 1):\n  golden: \(x.debugDescription)\n  actual: \(y.debugDescription)\n"
          + "(if the change is intended: UPDATE_GOLDEN=1 swift test, then review the diff)"
      }
    }
    return "\(name) differs"
  }
}
