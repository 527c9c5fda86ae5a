// Encoding and decoding against the ids Hugging Face tokenizers gives for the fixture texts, with
// every format of the same model (tokenizer.json with both merge forms, vocab.json + merges.txt,
// add_prefix_space), our own files as HF ran them, special tokens and bad ids.
import Foundation
import Testing

@testable import Tokenizer

@Suite struct EncodeTests {
  @Test func idsEqualHuggingFaceForEveryFixtureText() throws {
    let tokenizer = try Fixtures.hfTokenizer()
    for c in try Fixtures.cases().cases {
      #expect(tokenizer.encode(c.text) == c.ids, "text: \(c.text.debugDescription)")
      #expect(try tokenizer.decode(c.ids) == c.decoded)
      #expect(c.ids.map { tokenizer.tokens[$0]! } == c.tokens)
    }
  }

  @Test func everyFormatOfTheModelGivesTheSameIds() throws {
    let legacy = try BPETokenizer.load(from: Fixtures.url("hf/tokenizer_legacy_merges.json"))
    let gpt2 = try BPETokenizer.load(
      vocabularyJSON: Fixtures.url("hf/vocab.json"), merges: Fixtures.url("hf/merges.txt"),
      specialTokens: BPETokenizer.defaultSpecialTokens)
    let prefixed = try BPETokenizer.load(from: Fixtures.url("hf/tokenizer_prefix_space.json"))
    #expect(prefixed.options.addsPrefixSpace)
    for c in try Fixtures.cases().cases {
      #expect(legacy.encode(c.text) == c.ids, "legacy merges: \(c.text.debugDescription)")
      #expect(gpt2.encode(c.text) == c.ids, "vocab.json + merges.txt: \(c.text.debugDescription)")
      #expect(prefixed.encode(c.text) == c.prefix_space_ids, "add_prefix_space: \(c.text.debugDescription)")
    }
  }

  /// The options HF's BPE model and ByteLevel pre-tokenizer take: no pattern (one pre-token per
  /// text), ignore_merges (a word in the vocabulary is one token), and a vocabulary missing some
  /// bytes — mapped to the unknown token, fused when consecutive, or dropped without one.
  @Test(arguments: ["no_regex", "ignore_merges", "unk", "unk_fused", "unk_dropped"])
  func optionsBehaveAsInHuggingFace(variant: String) throws {
    let tokenizer = try BPETokenizer.load(from: Fixtures.url("hf/tokenizer_\(variant).json"))
    for c in try Fixtures.cases().cases {
      #expect(tokenizer.encode(c.text) == c.variant_ids[variant]!, "text: \(c.text.debugDescription)")
      #expect(tokenizer.explain(c.text).ids == c.variant_ids[variant]!)
    }
  }

  /// ours/tokenizer.json was written by our CLI and run by HF (make_tokenizer_fixtures.py --ours).
  @Test func huggingFaceRunsOurFilesAndAgreesWithUs() throws {
    let check = try JSONDecoder().decode(HFCheck.self, from: Fixtures.data("ours/hf_check.json"))
    #expect(check.same_vocab_as_hf_training && check.same_merges_as_hf_training && check.gpt2_files_give_same_ids)
    let ours = try BPETokenizer.load(from: Fixtures.url("ours/tokenizer.json"))
    let gpt2 = try BPETokenizer.load(from: Fixtures.url("ours/gpt2"))
    for c in check.cases {
      #expect(ours.encode(c.text) == c.ids, "text: \(c.text.debugDescription)")
      #expect(try ours.decode(c.ids) == c.decoded)
      // The GPT-2 folder's special token defaults to <|endoftext|>: compare on texts without ours.
      if !c.text.contains("<") { #expect(gpt2.encode(c.text) == c.ids) }
    }
    // What we write today is what HF checked (regenerate the fixtures if the writer changes).
    let trained = try BPETokenizer.train(corpus: Fixtures.corpus(), vocabularySize: 400)
    #expect(trained.tokenizerJSON() == String(decoding: try Fixtures.data("ours/tokenizer.json"), as: UTF8.self))
  }

  @Test func specialTokensAreMatchedBeforePreTokenization() throws {
    let tokenizer = try Fixtures.hfTokenizer()
    let ids = tokenizer.encode("<BOS>Hello<EOS>")
    #expect(ids.first == 2 && ids.last == 3)
    #expect(try tokenizer.decode(ids) == "<BOS>Hello<EOS>")
    #expect(try tokenizer.decode(ids, skipSpecialTokens: true) == "Hello")
    // As plain text the same characters are ordinary bytes.
    let plain = tokenizer.encode("<BOS>Hello<EOS>", splittingAddedTokens: false)
    #expect(!plain.contains(2) && !plain.contains(3))
    #expect(try tokenizer.decode(plain) == "<BOS>Hello<EOS>")
    #expect(tokenizer.specialTokens.map(\.content) == BPETokenizer.defaultSpecialTokens)
    #expect(tokenizer.specialTokens.map(\.id) == [0, 1, 2, 3])
  }

  /// Leftmost match first, the longest where two start at the same place; `lstrip`/`rstrip`
  /// swallow the whitespace next to the match (HF added-token rules).
  @Test func addedTokenMatchingRules() throws {
    let vocabulary = Dictionary(uniqueKeysWithValues: (0..<256).map { (String(ByteLevel.characters[$0]), $0) })
    let tokenizer = try BPETokenizer(
      vocabulary: vocabulary.map { ($0.key, $0.value) }, merges: [],
      addedTokens: [
        AddedToken(id: 256, content: "<a>"), AddedToken(id: 257, content: "<a><b>"),
        AddedToken(id: 258, content: "[M]", stripsLeft: true, stripsRight: true),
      ], options: BPEOptions(), source: "test")
    let space = vocabulary["Ġ"]!, x = vocabulary["x"]!
    #expect(tokenizer.encode("<a><b><a>") == [257, 256])
    #expect(tokenizer.encode("x  [M]  x") == [x, 258, x])
    #expect(tokenizer.encode("x [M]") == [x, 258])
    #expect(tokenizer.encode(" x") == [space, x])
  }

  @Test func unknownIDsAreErrorsNamingThePosition() throws {
    let tokenizer = try Fixtures.hfTokenizer()
    #expect(throws: TokenizerError.unknownTokenID(400, position: 1, vocabularySize: 400)) {
      try tokenizer.decode([5, 400])
    }
    #expect(throws: TokenizerError.unknownTokenID(-1, position: 0, vocabularySize: 400)) {
      try tokenizer.decodePieces([-1])
    }
    #expect(tokenizer.bytes(of: 10_000) == nil)
  }

  /// Invalid UTF-8 from a file: encoded through the byte tokens, decoded back exactly.
  @Test func invalidUTF8RoundTripsThroughByteFallback() throws {
    let tokenizer = try Fixtures.hfTokenizer()
    let bytes: [UInt8] = [0x61, 0xFF, 0x20, 0xC3, 0x28, 0xED, 0xA0, 0x80, 0x00, 0xF0, 0x9F, 0x98]
    let ids = tokenizer.encode(bytes: bytes)
    #expect(try tokenizer.decodeBytes(ids) == bytes)
    #expect(try tokenizer.decode(ids).contains("\u{FFFD}"))
  }

  @Test func theCacheGivesTheSameIdsAsAFreshTokenizer() throws {
    let warm = try Fixtures.hfTokenizer()
    let corpus = try Fixtures.corpus()
    let first = warm.encode(bytes: corpus)
    #expect(warm.encode(bytes: corpus) == first)
    #expect(try Fixtures.hfTokenizer().encode(bytes: corpus) == first)
  }
}
