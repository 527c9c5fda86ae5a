// Writing lesson outputs (HTML pages, snapshots) atomically, through the engine's AtomicFile
// (temporary file, fsync, rename, fsync the folder): a reader never sees half a file.
import Foundation
import MiniGPT

public enum LessonFileWriter {
  /// Writes `data` to `url`, creating parent folders as needed. Throws `LessonError.unwritable`.
  public static func write(_ data: Data, to url: URL) throws {
    let folder = url.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try AtomicFile.write(to: url) { sink in try data.withUnsafeBytes { try sink.write($0) } }
    } catch let error as EngineError {
      if case .badFile(_, let problem) = error { throw LessonError.unwritable(path: url.path, reason: problem) }
      throw LessonError.unwritable(path: url.path, reason: error.description)
    } catch {
      throw LessonError.unwritable(path: url.path, reason: "cannot create folder \(folder.path)")
    }
  }

  public static func write(_ text: String, to url: URL) throws {
    try write(Data(text.utf8), to: url)
  }
}
