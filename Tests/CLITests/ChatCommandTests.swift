// `chat` through the built binary: piped sessions with every slash command, answers equal to
// `generate` for the same seed, the educational mode's numbers checked against an independent
// run (`generate`, `tokenize`), and the line editor driven through a pseudo-terminal (keys as a
// terminal sends them: ECMA-48 arrows, DEL for backspace, Ctrl-A, Ctrl-D).
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct ChatCommandTests {
  @Test func pipedSessionRunsEveryCommandAndEndsAtEOF() throws {
    let model = try TinyModel.url().path
    let input =
      [
        "O Brasil é", "/temp 0", "/tokens 5", "/topk 3", "/topp 0.9", "/seed 7", "/tokens-demo \"a casa\"", "/stats",
        "/explain", "/reset", "/stats", "/help", "/temp -1", "/bogus", "",
      ].joined(separator: "\n") + "\n"
    let r = try CLI.run(["chat", "--model", model, "--lang", "en", "--max-tokens", "6"], stdin: input)
    #expect(r.status == 0, "\(r.stderr)")
    let out = r.stdout
    for expected in [
      "temperature = 0", "max tokens = 5", "top-k = 3", "top-p = 0.9", "seed = 7",
      "\"a casa\" → ", "1 answers, 6 tokens generated", "argmax (temperature 0), max tokens 5, seed 7",
      "How this answer was made", "conversation cleared", "context: 0 of 32 tokens in use", "/tokens-demo \"text\"",
    ] {
      #expect(out.contains(expected), "stdout lacks \(expected)")
    }
    #expect(r.stderr.contains("error: usage: /temp X"))
    #expect(r.stderr.contains("error: unknown command /bogus"))
    // Piped: no banner, no prompts, no colour.
    #expect(!out.contains("you›") && !out.contains("\u{1B}["))
  }

  @Test func quitStopsReading() throws {
    let r = try CLI.run(["chat", "--model", try TinyModel.url().path], stdin: "/quit\n/stats\n")
    #expect(r.status == 0 && r.stdout.isEmpty, "\(r.stdout)")
  }

  @Test func answersEqualGenerateForTheSameSeed() throws {
    let model = try TinyModel.url().path
    for (temperature, seed) in [("0", "1"), ("0.9", "11")] {
      let chat = try CLI.run(
        ["chat", "--model", model, "--temperature", temperature, "--seed", seed, "--max-tokens", "10"],
        stdin: "A menina\n")
      let generate = try CLI.run([
        "generate", "--model", model, "--prompt", "A menina", "--temperature", temperature,
        "--seed", seed, "--max-tokens", "10", "--no-echo",
      ])
      #expect(chat.status == 0 && generate.status == 0, "\(chat.stderr) \(generate.stderr)")
      #expect(
        chat.stdout == generate.stdout, "chat \(chat.stdout.debugDescription) ≠ generate \(generate.stdout.debugDescription)")
    }
  }

  @Test func educationalModeExplainsWithTheRealNumbers() throws {
    let model = try TinyModel.url().path
    let r = try CLI.run(
      ["chat", "--model", model, "--educational", "--lang", "en", "--temperature", "0", "--max-tokens", "4"],
      stdin: "A casa\n")
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    // 1. The tokenization equals `tokenize`'s ids for the same text.
    let tokenized = try CLI.run([
      "tokenize", "--tokenizer", model.replacingOccurrences(of: ".safetensors", with: ".tokenizer.json"),
      "--json", "A casa",
    ])
    let ids = try #require(
      (try JSONSerialization.jsonObject(with: Data(tokenized.stdout.utf8)) as? [String: Any])?["ids"] as? [Int])
    let shown = try #require(lines.firstIndex { $0.contains("1. Tokenization") }).advanced(by: 1)
    let shownIDs = lines[shown].split(separator: " ").compactMap { $0.split(separator: "=").last.flatMap { Int($0) } }
    #expect(shownIDs == ids, "\(lines[shown]) vs \(ids)")
    #expect(lines.contains { $0.contains("became \(ids.count) tokens") })
    // 2. Greedy: the chosen candidate is the most probable one and had probability 100 %.
    let step1 = try #require(lines.firstIndex { $0.contains("step 1") })
    #expect(lines[step1 + 1].contains("← chosen") && lines[step1 + 1].contains("sampled p 100.00%"), "\(lines[step1 + 1])")
    // Probabilities shown in decreasing order.
    let probabilities = lines[(step1 + 1)...(step1 + 5)].compactMap { line -> Double? in
      guard let range = line.range(of: "model p") else { return nil }
      return Double(line[range.upperBound...].trimmingCharacters(in: .whitespaces).prefix { $0 != "%" })
    }
    #expect(probabilities.count == 5 && probabilities == probabilities.sorted(by: >), "\(probabilities)")
    // 3. The answer is the greedy continuation `generate` prints.
    let generate = try CLI.run([
      "generate", "--model", model, "--prompt", "A casa", "--temperature", "0", "--max-tokens", "4", "--no-echo",
    ])
    #expect(lines.contains(generate.stdout.trimmingCharacters(in: .newlines)), "answer missing: \(generate.stdout)")
    #expect(lines.contains { $0.hasPrefix("4. Timing: prefill") && $0.contains("tokens/s for 4 tokens") })
    // Portuguese on request, tensors on request.
    let pt = try CLI.run(["chat", "--model", model, "--show-tensors", "--lang", "pt-BR", "--max-tokens", "2"], stdin: "Olá\n")
    #expect(
      pt.stdout.contains("1. Tokenização") && pt.stdout.contains("Tensores") && pt.stdout.contains("cache KV"), "\(pt.stdout)")
  }

  @Test func lineEditorWorksThroughATerminal() throws {
    let model = try TinyModel.url().path
    let terminal = try PseudoTerminal.start(["chat", "--model", model, "--lang", "en"])
    defer { terminal.close() }
    func prompt(_ n: Int) -> Bool { terminal.waitFor { $0.components(separatedBy: "you›").count - 1 >= n } }
    #expect(prompt(1), "no prompt: \(terminal.output)")
    #expect(terminal.output.contains("minigpt chat —"))
    // Type with a typo, fix it with Backspace (DEL), Enter.
    terminal.send("/tokens-demo abd\u{7F}c\r")
    #expect(terminal.waitFor { $0.contains("\"abc\" → ") }, "\(terminal.output)")
    #expect(prompt(2))
    // ↑ recalls it; End, type, ← ←, insert.
    terminal.send("\u{1B}[A\u{05} xy\u{1B}[D\u{1B}[DZ\r")
    #expect(terminal.waitFor { $0.contains("\"abc Zxy\" → ") }, "\(terminal.output)")
    #expect(prompt(3))
    // Ctrl-A goes home: "cd" becomes "/tokens-demo abcd".
    terminal.send("cd\u{01}/tokens-demo ab\r")
    #expect(terminal.waitFor { $0.contains("\"abcd\" → ") }, "\(terminal.output)")
    #expect(prompt(4))
    // Ctrl-C drops a line; Ctrl-D on an empty line ends the chat.
    terminal.send("/bogus\u{03}")
    #expect(prompt(5))
    terminal.send("\u{04}")
    let status = terminal.waitForExit()
    #expect(status == 0, "\(terminal.output)")
    #expect(terminal.output.contains("bye"))
    #expect(!terminal.output.contains("unknown command"))
    // Colour is on in a terminal, and NO_COLOR turns it off.
    #expect(terminal.output.contains("\u{1B}[1m"))
    let plain = try PseudoTerminal.start(["chat", "--model", model, "--lang", "en"], environment: ["NO_COLOR": "1"])
    defer { plain.close() }
    #expect(plain.waitFor { $0.contains("you›") })
    plain.send("\u{04}")
    #expect(plain.waitForExit() == 0)
    #expect(!plain.output.contains("\u{1B}[1m") && !plain.output.contains("\u{1B}[0m"), "\(plain.output.debugDescription)")
  }
}

/// The binary with a pseudo-terminal as its standard input, output and error (posix_openpt(3)).
final class PseudoTerminal {
  let process: Process
  let master: Int32
  private var buffer = Data()

  private init(process: Process, master: Int32) {
    self.process = process
    self.master = master
  }

  static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> PseudoTerminal {
    let master = PTY.openpt(O_RDWR | O_NOCTTY)
    guard master >= 0, PTY.grantpt(master) == 0, PTY.unlockpt(master) == 0, let name = PTY.ptsname(master) else {
      throw CLIError("cannot open a pseudo-terminal")
    }
    let slave = open(String(cString: name), O_RDWR | O_NOCTTY)
    guard slave >= 0 else { throw CLIError("cannot open the pseudo-terminal's slave side") }
    _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
    let process = Process()
    process.executableURL = try CLI.requireBinary()
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = nil
    env["TERM"] = "xterm"
    for (k, v) in environment { env[k] = v }
    process.environment = env
    let handle = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
    process.standardInput = handle
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    closeDescriptor(slave)
    return PseudoTerminal(process: process, master: master)
  }

  /// Everything the program wrote so far.
  var output: String {
    drain()
    return String(decoding: buffer, as: UTF8.self)
  }

  private func drain() {
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
      let n = read(master, &chunk, chunk.count)
      if n <= 0 { break }
      buffer.append(contentsOf: chunk[0..<n])
    }
  }

  func send(_ keys: String) {
    let bytes = Array(keys.utf8)
    _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
  }

  func waitFor(timeout: Double = 60, _ condition: (String) -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if condition(output) { return true }
      usleep(20_000)
    }
    return false
  }

  func waitForExit(timeout: Double = 60) -> Int32? {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline {
      drain()
      usleep(20_000)
    }
    guard !process.isRunning else { return nil }
    drain()
    return process.terminationStatus
  }

  func close() {
    if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    closeDescriptor(master)
  }
}

private func closeDescriptor(_ fd: Int32) { close(fd) }

/// posix_openpt(3) and friends, looked up at run time: Swift's Glibc module does not export them
/// (they need _XOPEN_SOURCE), but every Linux and macOS libc has them.
private enum PTY {
  typealias IntFunction = @convention(c) (Int32) -> Int32
  typealias NameFunction = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
  static func symbol<T>(_ name: String, as type: T.Type) -> T {
    #if os(Linux)
    let everywhere: UnsafeMutableRawPointer? = nil  // glibc's RTLD_DEFAULT
    #else
    let everywhere = UnsafeMutableRawPointer(bitPattern: -2)  // Darwin's RTLD_DEFAULT
    #endif
    guard let pointer = dlsym(everywhere, name) else {
      fatalError("libc has no \(name)")
    }
    return unsafeBitCast(pointer, to: type)
  }
  static let openpt = symbol("posix_openpt", as: IntFunction.self)
  static let grantpt = symbol("grantpt", as: IntFunction.self)
  static let unlockpt = symbol("unlockpt", as: IntFunction.self)
  static let ptsname = symbol("ptsname", as: NameFunction.self)
}
