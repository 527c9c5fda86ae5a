// minigpt-lessons: the command-line entry point; one small ParsableCommand per subcommand.
import ArgumentParser

@main
struct MiniGPTLessons: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "minigpt-lessons",
    abstract: "Learn how a GPT works by running one, step by step.",
    subcommands: [
      BenchCommand.self,
      TokenizerCommand.self,
      TokenizeCommand.self,
      RunCommand.self,
      RenderCommand.self,
      CheckCommand.self,
      TrainCommand.self,
      GenerateCommand.self,
      ChatCommand.self,
    ])
}
