// Every directive a lesson can use, by name. Registering a directive is one line in `standard`.
// Tests build their own registry with extra (fake) directives through `adding(_:)`.

public struct DirectiveRegistry {
  public private(set) var directives: [String: any Directive.Type] = [:]

  public init(_ types: [any Directive.Type] = []) {
    for type in types { register(type) }
  }

  /// The directives shipped with minigpt-lessons.
  public static let standard = DirectiveRegistry([
    NoteDirective.self,
    SeedDirective.self,
    TextDirective.self,
    BytesDirective.self,
    ModelDirective.self,
    TokenizeDirective.self,
    EmbedDirective.self,
    AttendDirective.self,
    BlockDirective.self,
    TrainStepDirective.self,
    TrainDirective.self,
    GenerateDirective.self,
    KVCacheDirective.self,
    BackendsDirective.self,
  ])

  public mutating func register(_ type: any Directive.Type) {
    precondition(directives[type.name] == nil, "directive {\(type.name)} registered twice")
    directives[type.name] = type
  }

  public func adding(_ types: any Directive.Type...) -> DirectiveRegistry {
    var copy = self
    for type in types { copy.register(type) }
    return copy
  }

  public subscript(name: String) -> (any Directive.Type)? { directives[name] }

  public var names: [String] { directives.keys.sorted() }
}
