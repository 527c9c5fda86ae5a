// {seed}: restarts the session's random stream (SplitMix64) from a given seed, so what follows
// draws the same numbers on every run whatever came before. Engine-free.
//
//     ```{seed} 42
//     ```
import LessonModel

public struct SeedDirective: Directive {
  public static let name = "seed"
  public static let summary = "Restart the lesson's random numbers from a seed."
  public static let argument = ArgumentRule.required("a seed (a whole number ≥ 0)")
  public static let results = [ResultSpec("seed", "the seed now in use")]

  let seed: UInt64

  public init(_ invocation: Invocation) throws {
    guard let seed = UInt64(invocation.arguments) else {
      throw ValidationProblem("the seed must be a whole number ≥ 0, got '\(invocation.arguments)'")
    }
    self.seed = seed
  }

  public func run(_ session: Session) throws -> [Output] {
    session.reseed(seed)
    session.report("seed", Double(seed))
    return [.explanation(Phrase.seedExplanation.richText(session.language, [TextSpan(String(seed))]))]
  }
}
