// Every command of issue 6 documents itself: --help with examples and the completion hint, and the
// argument parser's completion scripts list them.
import Foundation
import Testing

@Suite struct HelpTests {
  @Test(arguments: ["train", "generate", "chat"])
  func helpHasExamples(_ command: String) throws {
    let r = try CLI.run([command, "--help"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("Examples:"))
    #expect(r.stdout.contains("minigpt-lessons \(command)"))
    #expect(r.stdout.contains("--generate-completion-script"))
  }

  @Test(arguments: ["bash", "zsh", "fish"])
  func completionScriptsListTheCommands(_ shell: String) throws {
    let r = try CLI.run(["--generate-completion-script", shell])
    #expect(r.status == 0, "\(r.stderr)")
    for command in ["train", "generate", "chat"] { #expect(r.stdout.contains(command)) }
    #expect(r.stdout.contains("max-tokens") && r.stdout.contains("resume"))
  }
}
