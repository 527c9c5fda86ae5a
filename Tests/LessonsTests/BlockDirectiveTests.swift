// {block}: layer-norm statistics recomputed here from the block's input and the ln_1 parameters,
// residual sums added here, the MLP's first matmul and GELU (tanh form, Hendrycks & Gimpel 2016)
// computed here, and the share of active units counted here.
import Foundation
import LessonModel
import MiniGPT
import Testing

@testable import Lessons

@Suite struct BlockDirectiveTests {
  @Test func layerOneAgainstItsDefinition() throws {
    let text = "O gato subiu"
    let (session, runs) = try runKeepingSession(smallModel + "```{block} \(text)\n:layer: 1\n:dims: 6\n```\n")
    let run = runs[1]
    let model = try session.model()
    let T = text.utf8.count, C = 16, H = 64
    func activation(_ name: String) -> [Double] { model.read(model.activation(name)!).map(Double.init) }
    func parameter(_ name: String) -> [Double] { model.read(model.parameter(name)!).map(Double.init) }
    let x = activation("h.0.residual_mlp")
    let gain = parameter("h.1.ln_1.weight"), bias = parameter("h.1.ln_1.bias")

    // Layer norm (llm.c / torch: biased variance, eps 1e-5) done here.
    let lnTable = run.tables[0]
    for t in 0..<T {
      let row = Array(x[(t * C)..<(t * C + C)])
      let mean = row.reduce(0, +) / Double(C)
      let variance = row.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(C)
      let normalized = row.map { ($0 - mean) / (variance + 1e-5).squareRoot() }
      let out = (0..<C).map { normalized[$0] * gain[$0] + bias[$0] }
      let outMean = out.reduce(0, +) / Double(C)
      let outStd = (out.reduce(0) { $0 + ($1 - outMean) * ($1 - outMean) } / Double(C)).squareRoot()
      let cells = lnTable.rows[t].dropFirst().map { Double($0)! }
      #expect(abs(cells[0] - mean) <= 0.0006)
      #expect(abs(cells[1] - (variance + 1e-5).squareRoot()) <= 0.0006)
      #expect(abs(cells[3] - outMean) <= 0.0006)
      #expect(abs(cells[4] - outStd) <= 0.0006)
    }

    // The residual stream: x + attention, then + MLP, added here.
    let attention = activation("h.1.attn.proj"), mlp = activation("h.1.mlp.proj")
    func norm(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 }.squareRoot() }
    for t in 0..<T {
      let range = (t * C)..<(t * C + C)
      let afterAttention = range.map { x[$0] + attention[$0] }
      let afterMLP = (0..<C).map { afterAttention[$0] + mlp[range.lowerBound + $0] }
      let cells = run.tables[1].rows[t].dropFirst().map { Double($0)! }
      #expect(abs(cells[0] - norm(Array(x[range]))) <= 0.0006)
      #expect(abs(cells[2] - norm(afterAttention)) <= 0.0006)
      #expect(abs(cells[4] - norm(afterMLP)) <= 0.0006)
    }
    #expect(try #require(run.number("residual-error")) <= 1e-5)

    // mlp.hidden = ln_2 · W_fcᵀ + b (W stored (4C, C)), done here for the shown rows and units.
    let ln2 = activation("h.1.ln_2"), weight = parameter("h.1.mlp.c_fc.weight"), fcBias = parameter("h.1.mlp.c_fc.bias")
    let hiddenPreview = run.previews[0]
    for t in 0..<T {
      for unit in 0..<6 {
        let value = (0..<C).reduce(fcBias[unit]) { $0 + ln2[t * C + $1] * weight[unit * C + $1] }
        #expect(abs(Double(hiddenPreview.values[t][unit]) - value) <= 1e-4)
      }
    }
    // GELU, tanh form, on the last token's first units.
    func gelu(_ v: Double) -> Double { 0.5 * v * (1 + tanh((2 / Double.pi).squareRoot() * (v + 0.044715 * v * v * v))) }
    for row in run.tables[2].rows {
      #expect(abs(Double(row[2])! - gelu(Double(row[1])!)) <= 0.0006)
    }
    // Active units: positive before GELU, counted here.
    let hidden = activation("h.1.mlp.hidden")
    let active = (0..<T).map { t in Double(hidden[(t * H)..<(t * H + H)].filter { $0 > 0 }.count) / Double(H) }
    #expect(abs(try #require(run.number("active-fraction")) - active.reduce(0, +) / Double(T)) <= 1e-6)
    #expect(run.strips[0].pieces.map { Double($0.value!) } == active.map { Double(Float($0)) })
    #expect(abs(try #require(run.number("normalized-std")) - 1) <= 0.01)
  }

  @Test func negativeLayersCountFromTheLast() throws {
    let (_, runs) = try runKeepingSession(smallModel + "```{block} O gato\n:layer: -1\n```\n\n```{block}\n:layer: -2\n```\n")
    #expect(runs[1].number("layer") == 1 && runs[2].number("layer") == 0)
    #expect(throws: LessonError.directiveFailed("layer -3 does not exist: this model has 2 (0…1, or -1…-2 from the last)")) {
      _ = try runKeepingSession(smallModel + "```{block} O gato\n:layer: -3\n```\n")
    }
  }

  @Test func portugueseExplanations() throws {
    let (_, runs) = try runKeepingSession(smallModel + "```{block} O gato\n```\n", language: .brazilianPortuguese)
    #expect(runs[1].explanations.first?.hasPrefix("O layer norm subtrai a média de cada token") == true)
    #expect(runs[1].explanations.last?.hasPrefix("O MLP alarga cada token para 64 unidades") == true)
  }
}
