// Errors the engine reports for bad input or environment (never for programmer errors, which
// are preconditions). Each message names the file or value and what is wrong.

public enum EngineError: Error, Equatable, CustomStringConvertible {
  case invalidConfiguration(String)
  case invalidTokens(String)
  case outOfMemory(String)
  /// The backend cannot run here (no Vulkan loader, no device). `hint` tells what to install.
  case backendUnavailable(String, hint: String)
  /// A SafeTensors / checkpoint / config file is unreadable or malformed.
  case badFile(path: String, problem: String)

  public var description: String {
    switch self {
    case .invalidConfiguration(let why): return "invalid model configuration: \(why)"
    case .invalidTokens(let why): return "invalid tokens: \(why)"
    case .outOfMemory(let why): return "out of memory: \(why)"
    case .backendUnavailable(let why, let hint): return "backend unavailable: \(why) (hint: \(hint))"
    case .badFile(let path, let problem): return "\(path): \(problem)"
    }
  }
}
