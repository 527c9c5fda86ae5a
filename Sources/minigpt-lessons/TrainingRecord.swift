// What `train` writes into a checkpoint's __metadata__ (as minigpt.training.* strings) besides the
// parameters and AdamW state, so that `--resume` continues bit for bit: the settings (batch,
// schedule, AdamW, seed), the batch sampler's RNG state, the tokenizer and a fingerprint of the
// tokenised corpus, and the running sums of the epoch in progress.
import Foundation
import MiniGPT

enum TrainingStateKey {
  static let settings = "settings"
  static let rng = "rng_state"
  static let tokenizer = "tokenizer"
  static let data = "data"
  static let dataTokens = "data_tokens"
  static let dataFingerprint = "data_fingerprint"
  static let validationFraction = "validation_fraction"
  static let stepsPerEpoch = "steps_per_epoch"
  static let configName = "config_name"
  static let epochLossSum = "epoch_loss_sum"
  static let epochLossSteps = "epoch_loss_steps"
  static let trainLoss = "train_loss"
  static let validationLoss = "validation_loss"
  static let command = "command"
}

struct TrainingRecord: Equatable {
  var settings: TrainingSettings
  var rngState: UInt64
  /// The tokenizer file, relative to the checkpoint's folder when it lies there.
  var tokenizer: String
  var dataPath: String
  var dataTokens: Int
  var dataFingerprint: String
  var validationFraction: Double
  var stepsPerEpoch: Int
  var configName: String
  /// Sum (in Double) and count of the training losses of the epoch in progress.
  var epochLossSum: Double = 0
  var epochLossSteps: Int = 0
  /// The last epoch's mean training loss and validation loss.
  var trainLoss: Float?
  var validationLoss: Float?

  func encoded() throws -> [String: String] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    var state: [String: String] = [
      TrainingStateKey.settings: String(decoding: try encoder.encode(settings), as: UTF8.self),
      TrainingStateKey.rng: String(rngState),
      TrainingStateKey.tokenizer: tokenizer,
      TrainingStateKey.data: dataPath,
      TrainingStateKey.dataTokens: String(dataTokens),
      TrainingStateKey.dataFingerprint: dataFingerprint,
      TrainingStateKey.validationFraction: String(validationFraction),
      TrainingStateKey.stepsPerEpoch: String(stepsPerEpoch),
      TrainingStateKey.configName: configName,
      // Swift prints the shortest text that reads back to the same Double: exact round trip.
      TrainingStateKey.epochLossSum: String(epochLossSum),
      TrainingStateKey.epochLossSteps: String(epochLossSteps),
      TrainingStateKey.command: "minigpt-lessons train",
    ]
    if let trainLoss { state[TrainingStateKey.trainLoss] = String(trainLoss) }
    if let validationLoss { state[TrainingStateKey.validationLoss] = String(validationLoss) }
    return state
  }

  /// Reads the record back; `path` names the checkpoint in errors.
  init(state: [String: String], path: String) throws {
    func field(_ key: String) throws -> String {
      guard let value = state[key] else {
        throw CLIError.invalidValue(
          "\(path): no training state \"\(key)\" in __metadata__; only files written by `minigpt-lessons train` can be resumed")
      }
      return value
    }
    func number<T: LosslessStringConvertible>(_ key: String, as: T.Type) throws -> T {
      let text = try field(key)
      guard let value = T(text) else {
        throw CLIError.invalidValue("\(path): training state \"\(key)\" is \"\(text)\", not a number")
      }
      return value
    }
    do {
      settings = try JSONDecoder().decode(TrainingSettings.self, from: Data(try field(TrainingStateKey.settings).utf8))
    } catch let error as CLIError {
      throw error
    } catch {
      throw CLIError.invalidValue("\(path): training state \"settings\" is not valid: \(error)")
    }
    rngState = try number(TrainingStateKey.rng, as: UInt64.self)
    tokenizer = try field(TrainingStateKey.tokenizer)
    dataPath = try field(TrainingStateKey.data)
    dataTokens = try number(TrainingStateKey.dataTokens, as: Int.self)
    dataFingerprint = try field(TrainingStateKey.dataFingerprint)
    validationFraction = try number(TrainingStateKey.validationFraction, as: Double.self)
    stepsPerEpoch = try number(TrainingStateKey.stepsPerEpoch, as: Int.self)
    configName = state[TrainingStateKey.configName] ?? "custom"
    epochLossSum = try number(TrainingStateKey.epochLossSum, as: Double.self)
    epochLossSteps = try number(TrainingStateKey.epochLossSteps, as: Int.self)
    trainLoss = state[TrainingStateKey.trainLoss].flatMap(Float.init)
    validationLoss = state[TrainingStateKey.validationLoss].flatMap(Float.init)
    guard stepsPerEpoch >= 1, epochLossSteps >= 0 else {
      throw CLIError.invalidValue(
        "\(path): training state has steps_per_epoch \(stepsPerEpoch) and epoch_loss_steps \(epochLossSteps)")
    }
  }

  init(
    settings: TrainingSettings, rngState: UInt64, tokenizer: String, dataPath: String, dataTokens: Int,
    dataFingerprint: String, validationFraction: Double, stepsPerEpoch: Int, configName: String
  ) {
    self.settings = settings
    self.rngState = rngState
    self.tokenizer = tokenizer
    self.dataPath = dataPath
    self.dataTokens = dataTokens
    self.dataFingerprint = dataFingerprint
    self.validationFraction = validationFraction
    self.stepsPerEpoch = stepsPerEpoch
    self.configName = configName
  }

  /// FNV-1a (64-bit) over the token ids: the same corpus and tokenizer give the same value.
  static func fingerprint(_ tokens: [Int32]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for token in tokens {
      var value = UInt32(bitPattern: token)
      for _ in 0..<4 {
        hash = (hash ^ UInt64(value & 0xFF)) &* 0x100_0000_01b3
        value >>= 8
      }
    }
    return String(format: "fnv1a64:%016llx", hash)
  }
}
