// Reading with a size limit and writing atomically (temporary file, fsync, rename), so a crash
// or a full disk never leaves a half-written tokenizer behind.
// Reference: rename(2) is atomic on POSIX file systems; fsync(2) before it makes the data durable.
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum TokenizerFiles {
  /// Tokenizer files larger than this are refused (GPT-2's tokenizer.json is 1.4 MB).
  static let sizeLimit = 256 << 20

  /// The bytes of the file at `url`, refusing files over `limit` bytes before reading them.
  static func read(_ url: URL, limit: Int = sizeLimit) throws -> [UInt8] {
    let path = url.path
    var info = stat()
    guard stat(path, &info) == 0 else {
      throw TokenizerError.fileAccess(path: path, problem: "cannot read the file (\(String(cString: strerror(errno))))")
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      throw TokenizerError.fileAccess(path: path, problem: "not a regular file")
    }
    guard Int(info.st_size) <= limit else {
      throw TokenizerError.fileTooLarge(path: path, bytes: Int(info.st_size), limit: limit)
    }
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw TokenizerError.fileAccess(path: path, problem: "cannot open the file for reading")
    }
    defer { try? handle.close() }
    do {
      let data = try handle.read(upToCount: limit + 1) ?? Data()
      guard data.count <= limit else { throw TokenizerError.fileTooLarge(path: path, bytes: data.count, limit: limit) }
      return [UInt8](data)
    } catch let error as TokenizerError {
      throw error
    } catch {
      throw TokenizerError.fileAccess(path: path, problem: "read failed: \(error.localizedDescription)")
    }
  }

  /// Writes `bytes` to `url` atomically: a temporary file in the same folder, fsync, rename.
  static func writeAtomically(_ bytes: [UInt8], to url: URL) throws {
    let path = url.path
    let folder = url.deletingLastPathComponent().path
    let temporary = folder + "/." + url.lastPathComponent + ".\(getpid()).tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else {
      throw TokenizerError.fileAccess(
        path: path, problem: "cannot create a file in \(folder) (\(String(cString: strerror(errno))))")
    }
    var failure: String? = nil
    bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          failure = "write failed (\(String(cString: strerror(errno))))"
          return
        }
        offset += n
      }
    }
    if failure == nil, fsync(fd) != 0 { failure = "fsync failed (\(String(cString: strerror(errno))))" }
    close(fd)
    if failure == nil, rename(temporary, path) != 0 {
      failure = "cannot rename the temporary file into place (\(String(cString: strerror(errno))))"
    }
    if let failure {
      unlink(temporary)
      throw TokenizerError.fileAccess(path: path, problem: failure)
    }
  }
}
