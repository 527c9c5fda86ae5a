// The MyST-style directive block: name, arguments, options and body with the file's lines and
// columns (counted by hand from the fixtures below).
import Testing

@testable import Lessons

@Suite struct DirectiveSyntaxTests {
  func parse(_ text: String) -> DirectiveSyntax {
    let document = Markdown.parse(text)
    guard
      case .code(let block)? = document.items.first(where: {
        if case .code = $0 { return true } else { return false }
      })
    else {
      preconditionFailure("no code block in \(text)")
    }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    return DirectiveSyntax(block, fenceLine: String(lines[block.line - 1]))
  }

  @Test func fenceLineOptionsAndBody() {
    let syntax = parse("Intro\n\n```{attend} O gato subiu\n:layer: 0\n:head:   2\n\nBody line\nmore\n```\n")
    #expect(syntax.name == "attend")
    #expect(syntax.arguments == "O gato subiu")
    #expect(syntax.line == 3)
    #expect(syntax.nameColumn == 5)  // "```{" is 4 characters
    #expect(syntax.argumentsColumn == 13)  // "```{attend} " is 12
    #expect(
      syntax.options == [
        OptionSyntax(key: "layer", value: "0", line: 4, keyColumn: 1, valueColumn: 9),
        OptionSyntax(key: "head", value: "2", line: 5, keyColumn: 1, valueColumn: 10),
      ])
    #expect(syntax.body == "Body line\nmore\n")
    #expect(syntax.bodyLine == 7)  // the blank line after the options is skipped
    #expect(syntax.problems.isEmpty)
  }

  @Test func indentedTildeFenceWithSpaceBeforeBrace() {
    let syntax = parse("  ~~~~ {note}\n  :kind: warning\n  Careful.\n  ~~~~\n")
    #expect(syntax.name == "note")
    #expect(syntax.fenceColumn == 3)
    #expect(syntax.nameColumn == 9)  // "  ~~~~ {" is 8 characters
    #expect(syntax.options == [OptionSyntax(key: "kind", value: "warning", line: 2, keyColumn: 3, valueColumn: 10)])
    #expect(syntax.body == "Careful.\n")
    #expect(syntax.bodyLine == 3)
  }

  @Test func flagWithoutValueAndNoBody() {
    let syntax = parse("```{fake}\n:flag:\n```\n")
    #expect(syntax.options == [OptionSyntax(key: "flag", value: "", line: 2, keyColumn: 1, valueColumn: 7)])
    #expect(syntax.body.isEmpty)
    #expect(syntax.arguments.isEmpty)
  }

  @Test func malformedPiecesAreProblems() {
    let unclosed = parse("```{attend O gato\n```\n")
    #expect(
      unclosed.problems == [
        SyntaxProblem(1, 4, "malformed directive fence '{attend O gato': expected '{name}' and optional arguments")
      ])
    let badOption = parse("```{fake}\n:count 3\n:ok: 1\n```\n")
    #expect(badOption.problems == [SyntaxProblem(2, 1, "malformed option line ':count 3': expected ':name: value'")])
    #expect(badOption.options.map(\.key) == ["ok"])
    let badName = parse("```{3d}\n```\n")
    #expect(badName.problems.map(\.column) == [5])
  }

  @Test func unclosedFenceRunsToTheEnd() {
    let syntax = parse("```{fake} x\n:count: 2\n")
    #expect(syntax.options.map(\.value) == ["2"])
    #expect(syntax.body.isEmpty)
  }

  @Test func ordinaryFencesAreNotDirectives() {
    let document = Markdown.parse("```python\nx\n```\n\n```\ny\n```\n")
    for case .code(let block) in document.items {
      #expect(!DirectiveSyntax.isDirective(block))
    }
  }
}
