// Byte-level BPE tokenizer (GPT-2 style). Placeholder until the tokenizer lands.
public enum TokenizerModule {}
