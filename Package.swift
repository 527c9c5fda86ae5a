// swift-tools-version:6.0
// minigpt-lessons: learn how a GPT works by running one, step by step.
// Arrows: CLI → Render / Lessons → MiniGPT (engine), Tokenizer. Render sees only LessonModel.
import PackageDescription

// Swift's default x86-64 target is SSE2 only; AVX2+FMA gives the SIMD kernels 1.3–1.7×
// (../shared/NOTES.md). znver4 would be faster still but SIGILLs on CPUs without AVX-512.
#if arch(x86_64)
let cpuFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let cpuFlags: [SwiftSetting] = []
#endif

let package = Package(
  name: "minigpt-lessons",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "minigpt-lessons", targets: ["minigpt-lessons"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
  ],
  targets: [
    // System libraries: module maps and tiny C shims.
    .systemLibrary(name: "CCmark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
    .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
    .target(name: "CVulkan", path: "Sources/CVulkan"),

    // The engine: tensors, backends, model, training, sampling, SafeTensors.
    .target(
      name: "MiniGPT",
      dependencies: [
        .target(name: "CBLAS", condition: .when(platforms: [.linux])),
        "CVulkan",
      ],
      exclude: ["Backends/Vulkan/Shaders"],
      swiftSettings: cpuFlags),
    // Byte-level BPE; imports nothing of ours.
    .target(name: "Tokenizer", swiftSettings: cpuFlags),
    // Plain data shared by the interpreter and the renderers (no engine types).
    .target(name: "LessonModel"),
    // Markdown lessons, directives, the interpreter (the only cmark user).
    .target(
      name: "Lessons",
      dependencies: ["MiniGPT", "Tokenizer", "LessonModel", "CCmark", "Yams"]),
    // Terminal and HTML renderers: pure functions over LessonModel.
    .target(name: "Render", dependencies: ["LessonModel"]),
    .executableTarget(
      name: "minigpt-lessons",
      dependencies: [
        "MiniGPT", "Tokenizer", "Lessons", "Render", "LessonModel",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: cpuFlags),

    .target(name: "TestSupport", dependencies: ["MiniGPT"], path: "Tests/TestSupport"),
    .testTarget(
      name: "MiniGPTTests", dependencies: ["MiniGPT", "TestSupport"],
      swiftSettings: cpuFlags),
    .testTarget(name: "TokenizerTests", dependencies: ["Tokenizer", "TestSupport"]),
    .testTarget(name: "LessonsTests", dependencies: ["Lessons", "LessonModel", "Render", "TestSupport"]),
    .testTarget(name: "RenderTests", dependencies: ["Render", "LessonModel", "TestSupport"]),
    .testTarget(name: "CLITests", dependencies: ["TestSupport"]),
  ],
  swiftLanguageModes: [.v5]
)
