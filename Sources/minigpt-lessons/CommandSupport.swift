// What train, generate and chat share: errors reported as one `error: …` line (never a stack
// trace), standard-error output, terminal detection and colour that respects NO_COLOR
// (https://no-color.org: any non-empty value turns colour off).
import ArgumentParser
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a command body; any error becomes `error: <message>` on standard error and exit code 1.
/// ExitCode and CleanExit pass through (they carry their own status).
func reportingErrors(_ body: () throws -> Void) throws {
  do {
    try body()
  } catch let exit as ExitCode {
    throw exit
  } catch let exit as CleanExit {
    throw exit
  } catch {
    printError(errorMessage(error))
    throw ExitCode(1)
  }
}

/// A readable message for any error: our enums describe themselves; others fall back to Foundation.
func errorMessage(_ error: Error) -> String {
  switch error {
  case let e as ValidationError: return e.message
  case let e as CustomStringConvertible: return e.description
  default: return error.localizedDescription
  }
}

func printError(_ text: String) {
  writeStandardError("error: " + text + "\n")
}

func writeStandardError(_ text: String) {
  FileHandle.standardError.write(Data(text.utf8))
}

/// Writes to standard output now (print() is line-buffered through stdio; streamed tokens must
/// appear before the newline).
func writeStandardOutput(_ text: String) {
  fputs(text, stdout)
  fflush(stdout)
}

enum Terminal {
  static var standardInputIsTTY: Bool { isatty(STDIN_FILENO) != 0 }
  static var standardOutputIsTTY: Bool { isatty(STDOUT_FILENO) != 0 }
  static var standardErrorIsTTY: Bool { isatty(STDERR_FILENO) != 0 }

  /// Colour only on a terminal, never with NO_COLOR set to anything non-empty or TERM=dumb.
  static func colorEnabled(forStandardError: Bool = false) -> Bool {
    let environment = ProcessInfo.processInfo.environment
    if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
    if environment["TERM"] == "dumb" { return false }
    return forStandardError ? standardErrorIsTTY : standardOutputIsTTY
  }
}

/// ANSI styles, or nothing when colour is off.
struct TextStyle {
  let enabled: Bool

  private func wrap(_ code: String, _ text: String) -> String {
    enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
  }
  func bold(_ text: String) -> String { wrap("1", text) }
  func dim(_ text: String) -> String { wrap("2", text) }
  func green(_ text: String) -> String { wrap("32", text) }
  func yellow(_ text: String) -> String { wrap("33", text) }
  func cyan(_ text: String) -> String { wrap("36", text) }
  func magenta(_ text: String) -> String { wrap("35", text) }
}

/// "1,234,567" — thousands separated the same way whatever the locale, so outputs are stable.
func grouped(_ value: Int) -> String {
  let digits = String(value.magnitude)
  var out = ""
  for (i, ch) in digits.enumerated() {
    if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
    out.append(ch)
  }
  return (value < 0 ? "-" : "") + out
}

/// "2m05s", "1h02m", "12s".
func formatDuration(_ seconds: Double) -> String {
  guard seconds.isFinite, seconds >= 0 else { return "?" }
  let s = Int(seconds.rounded())
  if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
  if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
  return "\(s)s"
}
