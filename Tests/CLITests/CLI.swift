// Running the BUILT minigpt-lessons binary from the tests: found next to the test bundle (SwiftPM
// puts executables and the test runner in the same .build/<triple>/debug folder), or at
// $MINIGPT_LESSONS_BINARY. Output goes to temporary files, not pipes, so a chatty child can never
// block on a full pipe; every wait has a deadline.
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct CLIResult {
  let status: Int32
  let stdout: String
  let stderr: String
}

enum CLI {
  static let binary: URL? = {
    let files = FileManager.default
    var candidates: [URL] = []
    if let path = ProcessInfo.processInfo.environment["MINIGPT_LESSONS_BINARY"] { candidates.append(URL(fileURLWithPath: path)) }
    let runner = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath()
    candidates.append(runner.deletingLastPathComponent().appendingPathComponent("minigpt-lessons"))
    for bundle in Bundle.allBundles {
      candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("minigpt-lessons"))
    }
    candidates.append(TestPaths.packageRoot.appendingPathComponent(".build/debug/minigpt-lessons"))
    return candidates.first { files.isExecutableFile(atPath: $0.path) }
  }()

  static func requireBinary() throws -> URL {
    try #require(
      binary,
      "the minigpt-lessons executable was not found next to the tests; run `swift build` first or set MINIGPT_LESSONS_BINARY")
  }

  /// A fresh temporary folder for one test.
  static func temporaryFolder(_ name: String = #function) throws -> URL {
    let clean = name.filter { $0.isLetter || $0.isNumber }
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("minigpt-cli-\(clean)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// Runs to completion (at most `timeout` seconds, then the test fails).
  @discardableResult
  static func run(
    _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
    directory: URL? = nil, timeout: Double = 120
  ) throws -> CLIResult {
    let child = try start(arguments, stdin: stdin, environment: environment, directory: directory)
    return try child.wait(timeout: timeout)
  }

  static func start(
    _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
    directory: URL? = nil
  ) throws -> RunningCLI {
    let folder = try temporaryFolder("io")
    let process = Process()
    process.executableURL = try requireBinary()
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = nil
    for (k, v) in environment { env[k] = v }
    process.environment = env
    if let directory { process.currentDirectoryURL = directory }
    let out = folder.appendingPathComponent("stdout"), err = folder.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    let input = folder.appendingPathComponent("stdin")
    _ = FileManager.default.createFile(atPath: input.path, contents: Data((stdin ?? "").utf8))
    process.standardInput = try FileHandle(forReadingFrom: input)
    try process.run()
    return RunningCLI(process: process, stdoutURL: out, stderrURL: err)
  }
}

/// A child process started by `CLI.start`.
final class RunningCLI {
  let process: Process
  let stdoutURL: URL
  let stderrURL: URL

  init(process: Process, stdoutURL: URL, stderrURL: URL) {
    self.process = process
    self.stdoutURL = stdoutURL
    self.stderrURL = stderrURL
  }

  var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
  var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }

  /// Waits until `condition` holds on (stdout, stderr); false at the deadline or if the child exits first.
  func waitFor(timeout: Double = 60, _ condition: (String, String) -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
      if condition(stdout, stderr) { return true }
      if !process.isRunning { return condition(stdout, stderr) }
      usleep(20_000)
    }
    return false
  }

  func signal(_ number: Int32) { kill(process.processIdentifier, number) }

  func wait(timeout: Double = 120) throws -> CLIResult {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(10_000) }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
      Issue.record(
        "minigpt-lessons \(process.arguments ?? []) ran longer than \(timeout) s; killed.\nstdout: \(stdout)\nstderr: \(stderr)")
    }
    process.waitUntilExit()
    // A death by signal is reported as 128 + signal, as a shell does.
    let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    let result = CLIResult(status: status, stdout: stdout, stderr: stderr)
    try? FileManager.default.removeItem(at: stdoutURL.deletingLastPathComponent())
    return result
  }
}

/// The __metadata__ and tensor table of a SafeTensors file, read with JSONSerialization (independent
/// of the engine's reader): 8-byte little-endian header length, then the JSON header.
struct SafeTensorsHeader {
  let metadata: [String: String]
  let tensors: [String: (dtype: String, shape: [Int], begin: Int, end: Int)]
  let dataStart: Int
  let bytes: Data

  init(contentsOf url: URL) throws {
    bytes = try Data(contentsOf: url)
    let length = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    let json = try #require(try JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<(8 + length))) as? [String: Any])
    metadata = json["__metadata__"] as? [String: String] ?? [:]
    var tensors: [String: (String, [Int], Int, Int)] = [:]
    for (name, value) in json where name != "__metadata__" {
      let info = try #require(value as? [String: Any])
      let offsets = try #require(info["data_offsets"] as? [Int])
      tensors[name] = (try #require(info["dtype"] as? String), try #require(info["shape"] as? [Int]), offsets[0], offsets[1])
    }
    self.tensors = tensors
    dataStart = 8 + length
  }

  /// The raw bytes of one tensor.
  func data(_ name: String) -> Data? {
    tensors[name].map { bytes.subdata(in: (dataStart + $0.begin)..<(dataStart + $0.end)) }
  }
}
