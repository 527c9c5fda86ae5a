// Which lessons a command works on: a single Markdown file, or every `.md` file directly inside a
// folder in name order (01-…, 02-…), leaving out README.md and files starting with '_'.
import Foundation

public enum LessonFiles {
  public static func find(_ path: String) throws -> [String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
      throw LessonError.unreadable(path: path, reason: "no such file or folder")
    }
    guard isDirectory.boolValue else { return [path] }
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: path)
    } catch {
      throw LessonError.unreadable(path: path, reason: "cannot list the folder")
    }
    let lessons = names.filter {
      $0.hasSuffix(".md") && !$0.hasPrefix("_") && !$0.hasPrefix(".") && $0.lowercased() != "readme.md"
    }.sorted()
    guard !lessons.isEmpty else {
      throw LessonError.unreadable(path: path, reason: "no lessons (.md files) in this folder")
    }
    let folder = path.hasSuffix("/") ? path : path + "/"
    return lessons.map { folder + $0 }
  }
}
