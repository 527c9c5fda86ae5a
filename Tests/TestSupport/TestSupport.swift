// Helpers shared by the test targets: seeded random tensors, tolerance comparisons, paths.
import Foundation
import MiniGPT

public enum TestPaths {
  /// The package root (three levels up from this file).
  public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  public static let fixtures: URL = packageRoot.appendingPathComponent("Tests/Fixtures")
}
