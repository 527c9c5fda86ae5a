// Options shared by every command that runs a model: which backend and how many threads.
import ArgumentParser
import MiniGPT

struct BackendOptions: ParsableArguments {
  @Option(
    help:
      "Where the model runs: cpu, gpu (Vulkan), auto (a hardware GPU if there is one, else the CPU), or reference (naive loops, slow; for checking)."
  )
  var backend: BackendChoice = .cpu

  @Option(help: "CPU threads (default: all cores).")
  var threads: Int?

  func validate() throws {
    if let t = threads, !(1...256).contains(t) { throw ValidationError("--threads must be between 1 and 256") }
  }

  func make() throws -> any Backend {
    try makeBackend(backend, threads: threads ?? defaultThreadCount())
  }
}

extension BackendChoice: ExpressibleByArgument {}
