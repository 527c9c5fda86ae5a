// The directive contract (STYLE.md §4): a directive declares its argument, body, typed options and
// the named results `:expect:` can check; the interpreter validates a lesson against these
// declarations before anything runs, then calls `run(_:)`, which returns data and never prints.
import Foundation
import LessonModel

public protocol Directive {
  /// The name written between braces: `attend` for ```` ```{attend} ````.
  static var name: String { get }
  /// One line for `--help`-style listings.
  static var summary: String { get }
  static var argument: ArgumentRule { get }
  static var body: BodyRule { get }
  static var options: [OptionSpec] { get }
  /// Values the directive reports through `Session.report`, which `:expect:` can check.
  static var results: [ResultSpec] { get }

  /// Builds the directive from options already checked against `options`. Throw
  /// `ValidationProblem` for a problem between options ("top-k must not exceed vocabulary").
  init(_ invocation: Invocation) throws

  /// Does the work. Returns outputs; reports named values with `session.report`.
  func run(_ session: Session) throws -> [Output]
}

extension Directive {
  public static var argument: ArgumentRule { .none }
  public static var body: BodyRule { .none }
  public static var options: [OptionSpec] { [] }
  public static var results: [ResultSpec] { [] }
}

/// What may follow `{name}` on the fence line.
public enum ArgumentRule: Equatable, Sendable {
  case none
  /// Free text, may be empty; the string names it in messages ("text to tokenize").
  case optional(String)
  case required(String)
}

/// Whether the lines after the options are used.
public enum BodyRule: Equatable, Sendable {
  case none, optional, required
}

/// A typed option value, after validation.
public enum OptionValue: Equatable, Sendable {
  case int(Int)
  case float(Double)
  case string(String)
  case bool(Bool)
  /// A file path resolved against the lesson's folder (already checked to exist if required).
  case path(URL)
}

/// The declaration of one `:key: value` option.
public struct OptionSpec: Sendable {
  public enum Kind: Equatable, Sendable {
    case int(ClosedRange<Int>?)
    case float(ClosedRange<Double>?)
    case string
    case bool
    case choice([String])
    /// A file relative to the lesson; `mustExist` checks it before the lesson runs.
    case path(mustExist: Bool)
  }
  public var name: String
  public var kind: Kind
  /// Used when the option is absent; nil means "absent" (or required, see `isRequired`).
  public var defaultValue: OptionValue?
  public var isRequired: Bool
  public var help: String

  public init(
    _ name: String, _ kind: Kind, default defaultValue: OptionValue? = nil,
    required: Bool = false, help: String = ""
  ) {
    self.name = name
    self.kind = kind
    self.defaultValue = defaultValue
    self.isRequired = required
    self.help = help
  }

  public static func int(
    _ name: String, default value: Int? = nil, in range: ClosedRange<Int>? = nil,
    help: String = ""
  ) -> OptionSpec {
    OptionSpec(name, .int(range), default: value.map(OptionValue.int), help: help)
  }
  public static func float(
    _ name: String, default value: Double? = nil,
    in range: ClosedRange<Double>? = nil, help: String = ""
  ) -> OptionSpec {
    OptionSpec(name, .float(range), default: value.map(OptionValue.float), help: help)
  }
  public static func string(_ name: String, default value: String? = nil, help: String = "") -> OptionSpec {
    OptionSpec(name, .string, default: value.map(OptionValue.string), help: help)
  }
  public static func bool(_ name: String, default value: Bool = false, help: String = "") -> OptionSpec {
    OptionSpec(name, .bool, default: .bool(value), help: help)
  }
  public static func choice(
    _ name: String, _ choices: [String], default value: String? = nil,
    help: String = ""
  ) -> OptionSpec {
    OptionSpec(name, .choice(choices), default: value.map(OptionValue.string), help: help)
  }
  public static func path(
    _ name: String, mustExist: Bool = true, required: Bool = false,
    help: String = ""
  ) -> OptionSpec {
    OptionSpec(name, .path(mustExist: mustExist), required: required, help: help)
  }
}

/// A named value a directive reports (`loss`, `tokens`) for `:expect:`.
public struct ResultSpec: Sendable {
  public var name: String
  public var help: String
  public init(_ name: String, _ help: String = "") {
    self.name = name
    self.help = help
  }
}

/// A problem a directive's `init` finds between options; `option` names the line to point at.
public struct ValidationProblem: Error, Equatable {
  public var option: String?
  public var message: String
  public init(option: String? = nil, _ message: String) {
    self.option = option
    self.message = message
  }
}

/// A directive occurrence whose options have been checked and typed, defaults filled in.
public struct Invocation: Sendable {
  public var name: String
  public var arguments: String
  public var body: String
  public var values: [String: OptionValue]
  public var location: SourceLocation
  /// The folder the lesson file lives in.
  public var lessonDirectory: URL

  public init(
    name: String, arguments: String = "", body: String = "",
    values: [String: OptionValue] = [:], location: SourceLocation,
    lessonDirectory: URL
  ) {
    self.name = name
    self.arguments = arguments
    self.body = body
    self.values = values
    self.location = location
    self.lessonDirectory = lessonDirectory
  }

  // Typed accessors. Validation guarantees the kinds, so a mismatch is a programming error in the
  // directive (asking for an option it did not declare with that kind).
  public func int(_ key: String) -> Int? {
    guard let value = values[key] else { return nil }
    guard case .int(let v) = value else { preconditionFailure("option '\(key)' is not an int") }
    return v
  }
  public func float(_ key: String) -> Double? {
    guard let value = values[key] else { return nil }
    switch value {
    case .float(let v): return v
    case .int(let v): return Double(v)
    default: preconditionFailure("option '\(key)' is not a number")
    }
  }
  public func string(_ key: String) -> String? {
    guard let value = values[key] else { return nil }
    guard case .string(let v) = value else { preconditionFailure("option '\(key)' is not text") }
    return v
  }
  public func bool(_ key: String) -> Bool {
    guard let value = values[key] else { return false }
    guard case .bool(let v) = value else { preconditionFailure("option '\(key)' is not a bool") }
    return v
  }
  public func path(_ key: String) -> URL? {
    guard let value = values[key] else { return nil }
    guard case .path(let v) = value else { preconditionFailure("option '\(key)' is not a path") }
    return v
  }
}
