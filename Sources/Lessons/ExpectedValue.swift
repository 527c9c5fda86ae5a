// `:expect:` — values a directive must produce, checked by the interpreter after it runs:
//
//     :expect: loss ≈ 8.3 ± 0.1          within an absolute tolerance ("+-" works too)
//     :expect: loss ≈ 8.30 ± 1%          within a relative tolerance
//     :expect: loss ≈ 8.3                within half a unit of the last digit written (8.25…8.35)
//     :expect: tokens = 12; bytes > 10   several per line, separated by ';' (or repeat the option)
//     :expect: top = "gato"              text results compare exactly
//
// Operators: ≈ ~ = == < <= ≤ > >= ≥. Names are the directive's declared results.
import Foundation

/// A value a directive reported.
public enum ResultValue: Equatable, Sendable, CustomStringConvertible {
  case number(Double)
  case text(String)

  public var description: String {
    switch self {
    case .number(let value):
      return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    case .text(let text): return "\"\(text)\""
    }
  }
}

public struct ExpectedValue: Equatable, Sendable {
  public enum Check: Equatable, Sendable {
    case approximately(Double, tolerance: Double)
    case approximatelyRelative(Double, fraction: Double)
    case equal(ResultValue)
    case less(Double), lessOrEqual(Double), greater(Double), greaterOrEqual(Double)
  }
  public var name: String
  public var check: Check
  /// As written, for messages ("loss ≈ 8.3 ± 0.1").
  public var text: String
  public var line: Int
  public var column: Int

  /// Whether `value` satisfies the expectation.
  public func holds(for value: ResultValue) -> Bool {
    switch (check, value) {
    case (.equal(let expected), _): return expected == value
    case (_, .text): return false
    case (.approximately(let expected, let tolerance), .number(let actual)):
      return abs(actual - expected) <= tolerance * (1 + 1e-9)
    case (.approximatelyRelative(let expected, let fraction), .number(let actual)):
      return abs(actual - expected) <= abs(expected) * fraction * (1 + 1e-9)
    case (.less(let bound), .number(let actual)): return actual < bound
    case (.lessOrEqual(let bound), .number(let actual)): return actual <= bound
    case (.greater(let bound), .number(let actual)): return actual > bound
    case (.greaterOrEqual(let bound), .number(let actual)): return actual >= bound
    }
  }

  // Longest operators first so "<=" is not read as "<".
  private static let operators = ["≈", "~=", "~", "==", "=", "<=", "≤", ">=", "≥", "<", ">"]

  /// Parses one `:expect:` value. Returns expectations and messages for clauses that do not parse.
  static func parse(_ text: String, line: Int, column: Int) -> ([ExpectedValue], [SyntaxProblem]) {
    var expectations: [ExpectedValue] = []
    var problems: [SyntaxProblem] = []
    var offset = 0
    for clause in text.split(separator: ";", omittingEmptySubsequences: false) {
      let clauseColumn = column + offset + (clause.count - clause.drop { $0 == " " }.count)
      offset += clause.count + 1
      let trimmed = clause.trimmingSpaces()
      if trimmed.isEmpty { continue }
      switch parseClause(trimmed) {
      case .success(let (name, check)):
        expectations.append(
          ExpectedValue(
            name: name, check: check, text: trimmed, line: line,
            column: clauseColumn))
      case .failure(let problem):
        problems.append(
          SyntaxProblem(
            line, clauseColumn,
            "cannot read expectation '\(trimmed)': \(problem.message) (write e.g. 'loss ≈ 8.3 ± 0.1')"))
      }
    }
    return (expectations, problems)
  }

  private struct ClauseProblem: Error {
    var message: String
  }

  private static func parseClause(_ clause: String) -> Result<(String, Check), ClauseProblem> {
    let nameEnd =
      clause.firstIndex { !($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }
      ?? clause.endIndex
    let name = String(clause[..<nameEnd])
    guard !name.isEmpty else { return .failure(ClauseProblem(message: "it should start with a result name")) }
    let afterName = clause[nameEnd...].drop { $0 == " " }
    guard let op = operators.first(where: { afterName.hasPrefix($0) }) else {
      return .failure(ClauseProblem(message: "expected one of ≈ = < ≤ > ≥ after '\(name)'"))
    }
    let operand = String(afterName.dropFirst(op.count)).trimmingSpaces()
    guard !operand.isEmpty else { return .failure(ClauseProblem(message: "missing value after '\(op)'")) }

    switch op {
    case "=", "==":
      if let number = Double(operand) { return .success((name, .equal(.number(number)))) }
      var text = operand
      if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") { text = String(text.dropFirst().dropLast()) }
      return .success((name, .equal(.text(text))))
    case "≈", "~=", "~":
      return approximate(operand).map { (name, $0) }
    default:
      guard let bound = Double(operand) else {
        return .failure(ClauseProblem(message: "'\(operand)' is not a number"))
      }
      let check: Check
      switch op {
      case "<": check = .less(bound)
      case "<=", "≤": check = .lessOrEqual(bound)
      case ">": check = .greater(bound)
      default: check = .greaterOrEqual(bound)
      }
      return .success((name, check))
    }
  }

  /// "8.3 ± 0.1", "8.3 ± 1%", "8.3".
  private static func approximate(_ operand: String) -> Result<Check, ClauseProblem> {
    let separators = ["±", "+/-", "+-"]
    var valueText = operand
    var toleranceText: String?
    for separator in separators {
      if let range = operand.range(of: separator) {
        valueText = String(operand[..<range.lowerBound]).trimmingSpaces()
        toleranceText = String(operand[range.upperBound...]).trimmingSpaces()
        break
      }
    }
    guard let value = Double(valueText) else {
      return .failure(ClauseProblem(message: "'\(valueText)' is not a number"))
    }
    guard let toleranceText else {
      // Half a unit in the last digit written: "8.3" means anything that rounds to 8.3.
      // "8.3e-2" means anything that rounds to 8.3e-2: the exponent shifts the last digit.
      let parts = valueText.lowercased().split(separator: "e", maxSplits: 1)
      let exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
      let decimals = parts[0].split(separator: ".").dropFirst().first?.count ?? 0
      return .success(.approximately(value, tolerance: 0.5 * pow(10, Double(exponent - decimals))))
    }
    if toleranceText.hasSuffix("%") {
      guard let percent = Double(toleranceText.dropLast().trimmingSpaces()), percent >= 0 else {
        return .failure(ClauseProblem(message: "'\(toleranceText)' is not a percentage"))
      }
      return .success(.approximatelyRelative(value, fraction: percent / 100))
    }
    guard let tolerance = Double(toleranceText), tolerance >= 0 else {
      return .failure(ClauseProblem(message: "'\(toleranceText)' is not a tolerance ≥ 0"))
    }
    return .success(.approximately(value, tolerance: tolerance))
  }
}
