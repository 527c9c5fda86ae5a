// Atomic file replacement: write a temporary file in the destination's directory, fsync it,
// rename it over the destination, then fsync the directory so the rename itself is durable.
// A crash at any point leaves either the old file or the complete new one, never a torn file.
// Reference: POSIX rename(2) atomicity; the "write, fsync, rename, fsync dir" pattern (LWN 351422).

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file being written; `write` loops over short writes and EINTR.
public struct FileSink {
  fileprivate let fd: Int32
  fileprivate let path: String
  public private(set) var bytesWritten = 0

  public mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
    var done = 0
    while done < bytes.count {
      // Chunks of at most 1 GiB: some systems refuse larger single writes.
      let chunk = min(bytes.count - done, 1 << 30)
      let n = posixWrite(fd, bytes.baseAddress! + done, chunk)
      if n < 0 {
        if errno == EINTR { continue }
        throw EngineError.badFile(path: path, problem: "cannot write: \(String(cString: strerror(errno)))")
      }
      done += n
    }
    bytesWritten += done
  }

  public mutating func write(_ bytes: [UInt8]) throws {
    try bytes.withUnsafeBytes { try write($0) }
  }
}

@inline(__always)
private func posixWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
  #if canImport(Glibc)
  return Glibc.write(fd, p, n)
  #else
  return Darwin.write(fd, p, n)
  #endif
}

public enum AtomicFile {
  /// Called with the temporary path after it is written and closed, just before the rename; nil in
  /// normal use. Lets a test kill the process mid-save and check the old file survives.
  public nonisolated(unsafe) static var beforeRename: ((String) -> Void)?

  /// Replaces `url` with what `body` writes. Throws `EngineError.badFile` naming `url`; on
  /// failure the temporary file is removed and an existing destination is left untouched.
  public static func write(to url: URL, _ body: (inout FileSink) throws -> Void) throws {
    let path = url.path
    func bad(_ what: String) -> EngineError {
      .badFile(path: path, problem: "\(what): \(String(cString: strerror(errno)))")
    }
    let directory = url.deletingLastPathComponent().path
    let temporary = directory + "/." + url.lastPathComponent + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw bad("cannot create a temporary file in \(directory)") }
    var closed = false
    do {
      var sink = FileSink(fd: fd, path: path)
      try body(&sink)
      guard fsync(fd) == 0 else { throw bad("fsync failed") }
      closed = true
      guard close(fd) == 0 else { throw bad("close failed") }
      beforeRename?(temporary)
      guard rename(temporary, path) == 0 else { throw bad("cannot rename the temporary file into place") }
    } catch {
      if !closed { close(fd) }
      unlink(temporary)
      throw error
    }
    // Make the rename durable. Some file systems refuse fsync on a directory; the data is
    // already safe then, so only an open failure is ignored silently, as SQLite does.
    let dfd = open(directory, O_RDONLY | O_CLOEXEC)
    if dfd >= 0 {
      _ = fsync(dfd)
      close(dfd)
    }
  }
}
