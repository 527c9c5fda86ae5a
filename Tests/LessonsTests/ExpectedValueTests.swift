// `:expect:` syntax and checks; tolerances worked out by hand in the comments.
import Testing

@testable import Lessons

@Suite struct ExpectedValueTests {
  func parse(_ text: String) -> [ExpectedValue] {
    let (expectations, problems) = ExpectedValue.parse(text, line: 1, column: 10)
    #expect(problems.isEmpty, "\(problems)")
    return expectations
  }

  @Test func approximateWithAbsoluteTolerance() {
    let e = parse("loss ≈ 8.3 ± 0.1")
    #expect(e.map(\.name) == ["loss"])
    #expect(e[0].check == .approximately(8.3, tolerance: 0.1))
    #expect(e[0].holds(for: .number(8.39)))
    #expect(!e[0].holds(for: .number(8.41)))
    #expect(parse("loss ~ 8.3 +- 0.1")[0].check == .approximately(8.3, tolerance: 0.1))
  }

  @Test func approximateWithoutToleranceUsesTheLastDigit() {
    // "8.3" stands for anything that rounds to 8.3: 8.25 … 8.35, a tolerance of 0.05.
    #expect(parse("loss ≈ 8.3")[0].check == .approximately(8.3, tolerance: 0.05))
    // "8.30" is one digit more precise: ± 0.005.
    #expect(parse("loss ≈ 8.30")[0].check == .approximately(8.3, tolerance: 0.005))
    // "12" is an integer: ± 0.5.  "4.1e-2" has its last digit at 1e-3: ± 0.0005.
    #expect(parse("n ≈ 12")[0].check == .approximately(12, tolerance: 0.5))
    guard case .approximately(let value, let tolerance) = parse("x ≈ 4.1e-2")[0].check else {
      Issue.record("not approximate")
      return
    }
    #expect(value == 0.041)
    #expect(abs(tolerance - 0.0005) < 1e-15)
  }

  @Test func relativeTolerance() {
    // 1% of 200 is 2: 198 and 202 pass, 203 does not.
    let e = parse("tokens_per_second ≈ 200 ± 1%")[0]
    #expect(e.check == .approximatelyRelative(200, fraction: 0.01))
    #expect(e.holds(for: .number(198)) && e.holds(for: .number(202)))
    #expect(!e.holds(for: .number(203)))
  }

  @Test func comparisonsAndEquality() {
    let e = parse("count = 12; bytes > 10; loss <= 2.5; x ≥ 1; y < 0; top = \"gato\"; word == gato")
    #expect(
      e.map(\.check) == [
        .equal(.number(12)), .greater(10), .lessOrEqual(2.5), .greaterOrEqual(1), .less(0),
        .equal(.text("gato")), .equal(.text("gato")),
      ])
    #expect(e[0].holds(for: .number(12)) && !e[0].holds(for: .number(12.5)))
    #expect(e[5].holds(for: .text("gato")) && !e[5].holds(for: .number(1)))
    #expect(!e[1].holds(for: .text("11")))
    // Columns point at each clause: "count = 12; " is 12 characters, then a space.
    #expect(e.map(\.column).prefix(2) == [10, 22])
  }

  @Test func problemsAreReported() {
    let (_, problems) = ExpectedValue.parse("loss 8.3; ≈ 3; x ≈ abc; y ≈ 1 ± -2", line: 4, column: 10)
    #expect(
      problems.map(\.message) == [
        "cannot read expectation 'loss 8.3': expected one of ≈ = < ≤ > ≥ after 'loss' (write e.g. 'loss ≈ 8.3 ± 0.1')",
        "cannot read expectation '≈ 3': it should start with a result name (write e.g. 'loss ≈ 8.3 ± 0.1')",
        "cannot read expectation 'x ≈ abc': 'abc' is not a number (write e.g. 'loss ≈ 8.3 ± 0.1')",
        "cannot read expectation 'y ≈ 1 ± -2': '-2' is not a tolerance ≥ 0 (write e.g. 'loss ≈ 8.3 ± 0.1')",
      ])
    #expect(problems.map(\.line) == [4, 4, 4, 4])
  }
}
