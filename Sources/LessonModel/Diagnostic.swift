// A problem found in a lesson, located compiler style (`lessons/03-attention.md:42:1: error: …`).
// Lines and columns are 1-based; columns count characters (not bytes) on the source line.

public struct SourceLocation: Codable, Equatable, Hashable, Sendable, Comparable {
  public var path: String
  public var line: Int
  public var column: Int

  public init(path: String, line: Int, column: Int = 1) {
    self.path = path
    self.line = line
    self.column = column
  }

  public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
    (a.path, a.line, a.column) < (b.path, b.line, b.column)
  }
}

public struct Diagnostic: Error, Codable, Equatable, Sendable {
  public enum Severity: String, Codable, Sendable {
    case error, warning, note
  }
  public var severity: Severity
  public var location: SourceLocation
  public var message: String

  public init(_ severity: Severity, at location: SourceLocation, _ message: String) {
    self.severity = severity
    self.location = location
    self.message = message
  }

  /// `path:line:column: severity: message`, the line compilers and editors understand.
  public var summary: String {
    "\(location.path):\(location.line):\(location.column): \(severity.rawValue): \(message)"
  }
}
