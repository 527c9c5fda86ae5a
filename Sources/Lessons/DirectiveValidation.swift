// Checks one directive occurrence against its declaration before anything runs: name, argument,
// body, each option's name, type and range, paths (present, inside the lesson's folder unless
// `:allow-outside:`), and `:expect:` names. Returns every problem found, not just the first.
import Foundation
import LessonModel

/// Options every directive accepts, handled by the interpreter itself.
enum CommonOption {
  static let expect = "expect"
  static let expectError = "expect-error"
  static let snapshot = "snapshot"
  static let allowOutside = "allow-outside"
  static let all = [expect, expectError, snapshot, allowOutside]
}

/// A directive ready to run.
public struct PreparedDirective {
  public var directive: any Directive
  public var invocation: Invocation
  public var expectations: [ExpectedValue]
  /// Text the error must contain, and the line of the `:expect-error:` option.
  public var expectedError: (text: String, line: Int)?
  /// Whether `check` compares its outputs with the recorded snapshot (`:snapshot: false` opts out).
  public var isSnapshotted: Bool
}

struct DirectiveValidator {
  var path: String
  var lessonDirectory: URL
  var registry: DirectiveRegistry

  private func at(_ line: Int, _ column: Int, _ message: String) -> Diagnostic {
    Diagnostic(.error, at: SourceLocation(path: path, line: line, column: column), message)
  }

  func validate(_ syntax: DirectiveSyntax) -> (PreparedDirective?, [Diagnostic]) {
    var problems = syntax.problems.map { at($0.line, $0.column, $0.message) }
    guard !syntax.name.isEmpty, DirectiveSyntax.isValidName(syntax.name) else { return (nil, problems) }
    guard let type = registry[syntax.name] else {
      var hint = Diagnostics.didYouMean(syntax.name, among: registry.names) { "{\($0)}" }
      if hint.isEmpty { hint = "; known directives: " + registry.names.map { "{\($0)}" }.joined(separator: ", ") }
      problems.append(at(syntax.line, syntax.nameColumn, "unknown directive {\(syntax.name)}\(hint)"))
      return (nil, problems)
    }
    problems += checkArgumentAndBody(type, syntax)
    let (options, optionProblems) = checkOptions(type, syntax)
    problems += optionProblems
    problems += checkExpectations(type, syntax, options)
    guard problems.isEmpty else { return (nil, problems) }

    let label = "{\(syntax.name)}"
    let invocation = Invocation(
      name: syntax.name, arguments: syntax.arguments, body: syntax.body, values: options.values,
      location: SourceLocation(path: path, line: syntax.line, column: syntax.fenceColumn),
      lessonDirectory: lessonDirectory)
    do {
      let directive = try type.init(invocation)
      return (
        PreparedDirective(
          directive: directive, invocation: invocation,
          expectations: options.expectations, expectedError: options.expectedError,
          isSnapshotted: options.snapshot), []
      )
    } catch let problem as ValidationProblem {
      let option = problem.option.flatMap { options.lines[$0] }
      return (
        nil,
        [
          at(
            option?.line ?? syntax.line, option?.keyColumn ?? syntax.fenceColumn,
            "\(label): \(problem.message)")
        ]
      )
    } catch {
      return (nil, [at(syntax.line, syntax.fenceColumn, "\(label): \(LessonError.message(for: error))")])
    }
  }

  /// What the option lines of one directive amount to.
  private struct CheckedOptions {
    var values: [String: OptionValue] = [:]
    /// Each option's (first) line, by name.
    var lines: [String: OptionSyntax] = [:]
    var expectations: [ExpectedValue] = []
    var expectedError: (text: String, line: Int)?
    var snapshot = true
    var allowOutside = false
  }

  private func checkArgumentAndBody(_ type: any Directive.Type, _ syntax: DirectiveSyntax) -> [Diagnostic] {
    let label = "{\(syntax.name)}"
    var problems: [Diagnostic] = []
    switch type.argument {
    case .none where !syntax.arguments.isEmpty:
      problems.append(
        at(
          syntax.line, syntax.argumentsColumn,
          "\(label) takes no arguments, found '\(syntax.arguments)'"))
    case .required(let what) where syntax.arguments.isEmpty:
      problems.append(at(syntax.line, syntax.nameColumn, "\(label) needs \(what) after its name on the fence line"))
    default: break
    }
    switch type.body {
    case .none where !syntax.body.trimmingSpaces().isEmpty:
      problems.append(
        at(
          syntax.bodyLine, syntax.fenceColumn,
          "\(label) takes no body; options are written ':name: value'"))
    case .required where syntax.body.trimmingSpaces().isEmpty:
      problems.append(at(syntax.line, syntax.fenceColumn, "\(label) needs a body after its options"))
    default: break
    }
    return problems
  }

  /// Names, duplicates, types, ranges and paths of the option lines; defaults filled in.
  private func checkOptions(
    _ type: any Directive.Type, _ syntax: DirectiveSyntax
  )
    -> (CheckedOptions, [Diagnostic])
  {
    let label = "{\(syntax.name)}"
    let specs = Dictionary(uniqueKeysWithValues: type.options.map { ($0.name, $0) })
    let hasPaths = type.options.contains { if case .path = $0.kind { return true } else { return false } }
    let allowedCommon = CommonOption.all.filter { $0 != CommonOption.allowOutside || hasPaths }
    var checked = CheckedOptions()
    var problems: [Diagnostic] = []
    var pathOptions: [(OptionSyntax, OptionSpec)] = []

    for option in syntax.options {
      if option.key != CommonOption.expect, let first = checked.lines[option.key] {
        problems.append(
          at(
            option.line, option.keyColumn,
            "option '\(option.key)' is given twice for \(label) (first on line \(first.line))"))
        continue
      }
      checked.lines[option.key] = checked.lines[option.key] ?? option
      if allowedCommon.contains(option.key) {
        problems += commonOption(option, label: label, into: &checked)
      } else if let spec = specs[option.key] {
        if case .path = spec.kind {
          pathOptions.append((option, spec))  // checked once :allow-outside: is known
        } else {
          switch value(of: option, spec: spec, label: label) {
          case .success(let value): checked.values[spec.name] = value
          case .failure(let problem): problems.append(problem)
          }
        }
      } else {
        problems.append(
          at(
            option.line, option.keyColumn,
            "unknown option '\(option.key)' for \(label)"
              + Diagnostics.didYouMean(option.key, among: type.options.map(\.name) + allowedCommon)))
      }
    }
    for (option, spec) in pathOptions {
      switch pathValue(of: option, spec: spec, label: label, allowOutside: checked.allowOutside) {
      case .success(let value): checked.values[spec.name] = value
      case .failure(let problem): problems.append(problem)
      }
    }
    for spec in type.options where checked.values[spec.name] == nil && checked.lines[spec.name] == nil {
      if spec.isRequired {
        problems.append(
          at(
            syntax.line, syntax.fenceColumn,
            "\(label) needs the option ':\(spec.name): …'" + (spec.help.isEmpty ? "" : " (\(spec.help))")))
      } else if let defaultValue = spec.defaultValue {
        checked.values[spec.name] = defaultValue
      }
    }
    return (checked, problems)
  }

  /// :expect:, :expect-error:, :snapshot:, :allow-outside:.
  private func commonOption(
    _ option: OptionSyntax, label: String, into checked: inout CheckedOptions
  )
    -> [Diagnostic]
  {
    switch option.key {
    case CommonOption.expect:
      let (parsed, problems) = ExpectedValue.parse(option.value, line: option.line, column: option.valueColumn)
      checked.expectations += parsed
      if parsed.isEmpty && problems.isEmpty {
        return [at(option.line, option.keyColumn, "option 'expect' needs a value")]
      }
      return problems.map { at($0.line, $0.column, $0.message) }
    case CommonOption.expectError:
      checked.expectedError = (option.value, option.line)
      return option.value.isEmpty
        ? [at(option.line, option.keyColumn, "option 'expect-error' needs the text the error message must contain")]
        : []
    default:
      guard let flag = parseBool(option.value) else { return [boolProblem(option, label)] }
      if option.key == CommonOption.snapshot { checked.snapshot = flag } else { checked.allowOutside = flag }
      return []
    }
  }

  /// :expect: names must be results the directive reports, and not be combined with :expect-error:.
  private func checkExpectations(
    _ type: any Directive.Type, _ syntax: DirectiveSyntax,
    _ checked: CheckedOptions
  ) -> [Diagnostic] {
    let label = "{\(syntax.name)}"
    let resultNames = type.results.map(\.name)
    var problems: [Diagnostic] = []
    for expectation in checked.expectations where !resultNames.contains(expectation.name) {
      let reports = resultNames.isEmpty ? "; it reports no results" : "; it reports " + resultNames.joined(separator: ", ")
      let hint = Diagnostics.didYouMean(expectation.name, among: resultNames)
      problems.append(
        at(
          expectation.line, expectation.column,
          "\(label) has no result '\(expectation.name)' to expect\(hint)\(reports)"))
    }
    if let expectedError = checked.expectedError, !checked.expectations.isEmpty {
      problems.append(
        at(
          expectedError.line, syntax.fenceColumn,
          "\(label) cannot both ':expect:' values and ':expect-error:' an error"))
    }
    return problems
  }

  /// 100 rather than 100.0.
  private func compact(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
  }

  private func boolProblem(_ option: OptionSyntax, _ label: String) -> Diagnostic {
    at(
      option.line, option.valueColumn,
      "option '\(option.key)' of \(label) expects true or false, got '\(option.value)'")
  }

  private func parseBool(_ text: String) -> Bool? {
    switch text.lowercased() {
    case "", "true", "yes", "on", "1": return true
    case "false", "no", "off", "0": return false
    default: return nil
    }
  }

  private func value(
    of option: OptionSyntax, spec: OptionSpec, label: String
  )
    -> Result<OptionValue, Diagnostic>
  {
    let text = option.value
    let name = "option '\(option.key)' of \(label)"
    let here = { (message: String) in
      Result<OptionValue, Diagnostic>.failure(
        at(option.line, option.valueColumn, message))
    }
    if text.isEmpty, spec.kind != .bool { return here("\(name) needs a value") }
    switch spec.kind {
    case .int(let range):
      guard let number = Int(text) else { return here("\(name) expects a whole number, got '\(text)'") }
      if let range, !range.contains(number) {
        return here("\(name) must be between \(range.lowerBound) and \(range.upperBound), got \(number)")
      }
      return .success(.int(number))
    case .float(let range):
      guard let number = Double(text), number.isFinite else {
        return here("\(name) expects a number, got '\(text)'")
      }
      if let range, !range.contains(number) {
        return here("\(name) must be between \(compact(range.lowerBound)) and \(compact(range.upperBound)), got \(text)")
      }
      return .success(.float(number))
    case .bool:
      guard let flag = parseBool(text) else { return .failure(boolProblem(option, label)) }
      return .success(.bool(flag))
    case .choice(let choices):
      guard choices.contains(text) else {
        return here(
          "\(name) must be one of \(choices.joined(separator: ", ")); got '\(text)'"
            + Diagnostics.didYouMean(text, among: choices))
      }
      return .success(.string(text))
    case .string:
      return .success(.string(text))
    case .path:
      preconditionFailure("paths are checked by pathValue")
    }
  }

  private func pathValue(
    of option: OptionSyntax, spec: OptionSpec, label: String, allowOutside: Bool
  )
    -> Result<OptionValue, Diagnostic>
  {
    let here = { (message: String) in
      Result<OptionValue, Diagnostic>.failure(
        at(option.line, option.valueColumn, message))
    }
    guard !option.value.isEmpty else { return here("option '\(option.key)' of \(label) needs a path") }
    let url =
      (option.value.hasPrefix("/")
      ? URL(fileURLWithPath: option.value)
      : lessonDirectory.appendingPathComponent(option.value)).standardizedFileURL
    let root = lessonDirectory.standardizedFileURL.resolvingSymlinksInPath().path
    let resolved = url.resolvingSymlinksInPath().path
    if !allowOutside && !(resolved == root || resolved.hasPrefix(root.hasSuffix("/") ? root : root + "/")) {
      return here(
        "path '\(option.value)' leaves the lesson's folder; "
          + "add ':allow-outside: true' if that is intended")
    }
    if case .path(mustExist: true) = spec.kind, !FileManager.default.fileExists(atPath: url.path) {
      return here("file '\(option.value)' not found (paths are relative to the lesson's folder)")
    }
    return .success(.path(url))
  }
}
