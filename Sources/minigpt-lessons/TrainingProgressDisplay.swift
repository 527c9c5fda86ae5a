// Training progress: on a terminal, one line on standard error redrawn at most ten times a second
// (step, bar, loss, learning rate, tokens/s, ETA); otherwise plain log lines on standard output
// every `logEvery` steps, so a log file or CI shows the run without control characters.
// ETA = remaining steps × an exponential moving average of the step time (evaluation excluded).
import Foundation
import MiniGPT

final class TrainingProgressDisplay {
  let totalSteps: Int
  let useBar: Bool
  let logEvery: Int
  let style: TextStyle
  private var lastDraw = Date.distantPast
  private var averageStepSeconds: Double?
  private var averageTokensPerSecond: Double?
  private var barVisible = false

  init(totalSteps: Int, useBar: Bool, logEvery: Int, style: TextStyle) {
    self.totalSteps = totalSteps
    self.useBar = useBar
    self.logEvery = max(1, logEvery)
    self.style = style
  }

  func update(_ r: TrainingStepResult) {
    // Smoothing 0.9: steady after ~10 steps, still follows a machine that slows down.
    averageStepSeconds = averageStepSeconds.map { 0.9 * $0 + 0.1 * r.seconds } ?? r.seconds
    averageTokensPerSecond = averageTokensPerSecond.map { 0.9 * $0 + 0.1 * r.tokensPerSecond } ?? r.tokensPerSecond
    let eta = Double(totalSteps - r.step) * (averageStepSeconds ?? 0)
    let fields =
      String(format: "loss %.4f  lr %.2e  ", r.loss, r.learningRate)
      + "\(grouped(Int(averageTokensPerSecond ?? 0))) tok/s  ETA \(formatDuration(eta))"
    if useBar {
      let now = Date()
      guard now.timeIntervalSince(lastDraw) >= 0.1 || r.step == totalSteps else { return }
      lastDraw = now
      let fraction = min(1, Double(r.step) / Double(max(1, totalSteps)))
      let width = 24, filled = Int(fraction * Double(width))
      let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
      let line = "\rstep \(r.step)/\(totalSteps) \(style.cyan(bar)) " + String(format: "%3.0f%%  ", fraction * 100) + fields
      writeStandardError(line + "\u{1B}[K")
      barVisible = true
    } else if r.step % logEvery == 0 || r.step == totalSteps {
      writeStandardOutput("step \(r.step)/\(totalSteps)  " + fields + "\n")
    }
  }

  /// Removes the bar so that other lines can be printed cleanly.
  func clear() {
    if barVisible {
      writeStandardError("\r\u{1B}[K")
      barVisible = false
      lastDraw = .distantPast
    }
  }
}
