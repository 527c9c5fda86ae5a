// YAML front matter: values, problems at the file's own lines, and line numbers kept for cmark.
import LessonModel
import Testing

@testable import Lessons

@Suite struct FrontMatterTests {
  @Test func readsEveryKey() {
    let source =
      "---\ntitle: Atenção\nsummary: One line\nlanguage: pt-BR\nseed: 42\nbackend: cpu\nmodel:\n  preset: tiny\n  layers: 2\n---\n# Body\n"
    let (frontMatter, markdown, problems) = FrontMatter.split(source, path: "a.md")
    #expect(problems.isEmpty)
    #expect(frontMatter.title == "Atenção")
    #expect(frontMatter.summary == "One line")
    #expect(frontMatter.language == .brazilianPortuguese)
    #expect(frontMatter.seed == 42)
    #expect(frontMatter.backend == .cpu)
    #expect(frontMatter.model == ["preset": "tiny", "layers": "2"])
    // The front matter's ten lines are blank, so "# Body" is still line 11 for cmark.
    #expect(markdown == String(repeating: "\n", count: 10) + "# Body\n")
  }

  @Test func noFrontMatter() {
    let (frontMatter, markdown, problems) = FrontMatter.split("# Title\n---\n", path: "a.md")
    #expect(frontMatter == FrontMatter())
    #expect(markdown == "# Title\n---\n")
    #expect(problems.isEmpty)
  }

  @Test func problemsAtTheirLines() {
    let source = "---\ntitle: x\nbackend: gpx\nseed: many\ncolour: red\n---\n"
    let (_, _, problems) = FrontMatter.split(source, path: "a.md")
    #expect(
      problems.map(\.summary) == [
        "a.md:3:10: error: 'backend' must be one of cpu, gpu, auto, reference; got 'gpx' (did you mean 'gpu'?)",
        "a.md:4:7: error: 'seed' must be a whole number ≥ 0, got 'many'",
        "a.md:5:1: error: unknown front matter key 'colour'",
      ])
  }

  @Test func invalidYAMLAndUnclosedFence() {
    let (_, _, yamlProblems) = FrontMatter.split("---\ntitle: [unclosed\n---\n", path: "a.md")
    #expect(yamlProblems.count == 1)
    #expect(yamlProblems.first?.summary.hasPrefix("a.md:3:") == true)
    #expect(yamlProblems.first?.message.hasPrefix("front matter is not valid YAML") == true)
    let (_, _, fenceProblems) = FrontMatter.split("---\ntitle: x\n", path: "a.md")
    #expect(
      fenceProblems.map(\.summary) == [
        "a.md:1:1: error: front matter opened here is never closed (add a line with '---' after it)"
      ])
    let (_, _, listProblems) = FrontMatter.split("---\n- a\n---\n", path: "a.md")
    #expect(listProblems.map(\.message) == ["front matter must be a mapping of keys to values (title: …, language: …)"])
  }

  @Test func titleFallsBackToHeadingThenFileName() throws {
    #expect(try prepare("---\ntitle: Front\n---\n# Heading\n").title == "Front")
    #expect(try prepare("Intro\n\n# The *heading*\n").title == "The heading")
    #expect(try prepare("No heading\n", path: "lessons/07-sampling.md").title == "07-sampling")
  }
}
