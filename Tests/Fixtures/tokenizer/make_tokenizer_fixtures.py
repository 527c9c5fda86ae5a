#!/usr/bin/env python3
"""Makes the tokenizer fixtures with the Hugging Face `tokenizers` library (PyPI).

    python3 -m venv /tmp/tokvenv && /tmp/tokvenv/bin/pip install tokenizers==0.23.3
    /tmp/tokvenv/bin/python Tests/Fixtures/tokenizer/make_tokenizer_fixtures.py \
        [--ours .build-x/debug/minigpt-lessons]

Reads corpus.txt (hand-written: English, Portuguese, code, emoji, CRLF lines) and writes, next
to this script:
  hf/tokenizer.json          byte-level BPE trained by HF on corpus.txt (vocab VOCAB, our 4 specials)
  hf/vocab.json, merges.txt  the same model in GPT-2's two-file format (tok.model.save)
  hf/tokenizer_legacy_merges.json  the same, merges written in the old "a b" string form
  hf/tokenizer_prefix_space.json   the same, pre-tokenizer with add_prefix_space = true
  hf/tokenizer_no_regex.json       the same, use_regex = false (each text is one pre-token)
  hf/tokenizer_ignore_merges.json  the same, ignore_merges = true
  hf/tokenizer_unk*.json     trained without the 256-byte initial alphabet, so bytes absent from
                             corpus.txt have no token: unk_token "<UNK>" (fuse_unk false / true) or
                             none (HF drops such bytes)
  cases.json                 for each text of CASES: HF's pre-tokens (byte-level strings), ids from
                             each tokenizer above, and the decoded text
  unicode_classes.txt        the class HF's pre-tokenizer gives every code point (L letter, N number,
                             S whitespace, O other), found by probing it, as runs "first last class"
With --ours BINARY it also runs our CLI (`tokenizer train`) on corpus.txt, writes
ours/tokenizer.json and ours/gpt2/{vocab.json,merges.txt}, loads them in HF, and writes
ours/hf_check.json: HF's ids for every case with our tokenizer.json, HF's decode of them, whether
our GPT-2 files give HF the same ids, and whether our vocabulary and merges equal HF's training.
"""
import argparse
import json
import os
import subprocess
import sys
import unicodedata

import tokenizers
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

HERE = os.path.dirname(os.path.abspath(__file__))
VOCAB = 400
SPECIALS = ["<PAD>", "<UNK>", "<BOS>", "<EOS>"]

CASES = [
    "",
    "Hello world",
    "Hello, world! How are you?",
    "It's simple, isn't it? We're sure they'll say I'm right, you've seen it, he'd agree.",
    "DON'T SHOUT. It'S fine. ''s '' 'x",
    "A tokenização é o primeiro passo. O coração da ação!",
    unicodedata.normalize("NFD", "coração, ação, informação, você, não"),
    "Maçã, açúcar, avó, avô, pão, às oito.",
    "def f(x):\n    return x ** 2  # square\n",
    "for i in 0..<10 {\n\tprint(i)\n}\n",
    "if (a != b && c >= 0) { d = a // 3; }",
    "Emoji: 😀 🎉 🚀 ❤️ 👍🏽 👩‍💻 👨‍👩‍👧‍👦 🇧🇷 🏳️‍🌈",
    "I ❤️ Lisboa 🇵🇹 and São Paulo 🇧🇷!",
    "Numbers 1 22 333 4444 3.14159 1e-9 0x1F ½ ¾ Ⅻ ٣ ३ 100%",
    "Whitespace:  two   three    four\tTab\t\tTabs",
    "trailing spaces   ",
    "   leading spaces",
    "line one\nline two\n\nline four\n",
    "crlf line\r\nnext line\r\n",
    "\n\n\n",
    " ",
    "  \n  x",
    "a\u00a0b\u2003c\u3000d",
    "NUL\x00byte and \x07 bell",
    "Ελληνικά русский 日本語のテキスト 中文 한국어 العربية עברית हिन्दी",
    "café vs cafe\u0301",
    "<BOS>Hello<EOS>",
    "x<PAD><UNK>y <EOS> z<EOS",
    "The end. The end. The end.",
    "Punctuation!!! ??? ... --- *** ### @@@ <<<>>> ((()))",
    "aaabdaaabac",
    "ctrl \x01\x02\x03 chars\x10\x11!",
]


def byte_level_tokenizer(add_prefix_space=False):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=add_prefix_space)
    tok.decoder = decoders.ByteLevel()
    return tok


def train_hf(corpus_path):
    tok = byte_level_tokenizer()
    trainer = trainers.BpeTrainer(vocab_size=VOCAB, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
                                  special_tokens=SPECIALS)
    # train() reads the file line by line (each line keeps its "\n"), as our trainer does.
    tok.train([corpus_path], trainer)
    return tok


def unicode_classes():
    """Runs of code points with the class HF's ByteLevel pattern gives them, found by probing:
    a letter joins "x" (` ?\\p{L}+`), a number joins "1", an other joins "!" on both sides."""
    pre = pre_tokenizers.ByteLevel(add_prefix_space=False)

    def joins(text):
        return len(pre.pre_tokenize_str(text)) == 1

    runs = []
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000:
            continue  # surrogates are not characters (no valid UTF-8)
        ch = chr(cp)
        c = "L" if joins("x" + ch) else "N" if joins("1" + ch) else "O" if joins("!" + ch + "!") else "S"
        if runs and runs[-1][2] == c and runs[-1][1] == cp - 1:
            runs[-1][1] = cp
        else:
            runs.append([cp, cp, c])
    return "".join(f"{a:X} {b:X} {c}\n" for a, b, c in runs)


def encode_all(tok):
    out = []
    for text in CASES:
        enc = tok.encode(text, add_special_tokens=False)
        out.append({"ids": enc.ids, "tokens": enc.tokens,
                    "decoded": tok.decode(enc.ids, skip_special_tokens=False)})
    return out


def write_json(path, obj):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")


def model_of(path):
    with open(path, encoding="utf-8") as f:
        m = json.load(f)["model"]
    merges = [tuple(x.split(" ")) if isinstance(x, str) else tuple(x) for x in m["merges"]]
    return m["vocab"], merges


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ours", help="path to a built minigpt-lessons binary")
    args = ap.parse_args()
    assert tokenizers.__version__ == "0.23.3", f"fixtures were made with tokenizers 0.23.3, not {tokenizers.__version__}"

    corpus = os.path.join(HERE, "corpus.txt")
    hf_dir = os.path.join(HERE, "hf")
    os.makedirs(hf_dir, exist_ok=True)

    tok = train_hf(corpus)
    tok.save(os.path.join(hf_dir, "tokenizer.json"))
    tok.model.save(hf_dir)  # vocab.json + merges.txt

    with open(os.path.join(hf_dir, "tokenizer.json"), encoding="utf-8") as f:
        doc = json.load(f)
    assert isinstance(doc["model"]["merges"][0], list), "expected the [a, b] merges form"
    legacy = json.loads(json.dumps(doc))
    legacy["model"]["merges"] = [f"{a} {b}" for a, b in doc["model"]["merges"]]
    write_json(os.path.join(hf_dir, "tokenizer_legacy_merges.json"), legacy)
    prefix = json.loads(json.dumps(doc))
    prefix["pre_tokenizer"]["add_prefix_space"] = True
    write_json(os.path.join(hf_dir, "tokenizer_prefix_space.json"), prefix)

    variants = {}
    for name, edit in [("no_regex", lambda d: d["pre_tokenizer"].update(use_regex=False)),
                       ("ignore_merges", lambda d: d["model"].update(ignore_merges=True))]:
        variant = json.loads(json.dumps(doc))
        edit(variant)
        write_json(os.path.join(hf_dir, f"tokenizer_{name}.json"), variant)
        variants[name] = Tokenizer.from_file(os.path.join(hf_dir, f"tokenizer_{name}.json"))
    unk = Tokenizer(models.BPE(unk_token="<UNK>"))
    unk.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    unk.decoder = decoders.ByteLevel()
    unk.train([corpus], trainers.BpeTrainer(vocab_size=VOCAB, show_progress=False, special_tokens=SPECIALS))
    unk.save(os.path.join(hf_dir, "tokenizer_unk.json"))
    with open(os.path.join(hf_dir, "tokenizer_unk.json"), encoding="utf-8") as f:
        unk_doc = json.load(f)
    assert unk_doc["model"]["unk_token"] == "<UNK>"
    assert sum(len(t) == 1 for t in unk_doc["model"]["vocab"]) < 256, "some bytes should have no token"
    for name, edit in [("unk_fused", lambda d: d["model"].update(fuse_unk=True)),
                       ("unk_dropped", lambda d: d["model"].update(unk_token=None))]:
        variant = json.loads(json.dumps(unk_doc))
        edit(variant)
        write_json(os.path.join(hf_dir, f"tokenizer_{name}.json"), variant)
        variants[name] = Tokenizer.from_file(os.path.join(hf_dir, f"tokenizer_{name}.json"))
    variants["unk"] = unk

    two_files = byte_level_tokenizer()
    two_files.model = models.BPE.from_file(os.path.join(hf_dir, "vocab.json"), os.path.join(hf_dir, "merges.txt"))
    two_files.add_special_tokens(SPECIALS)
    legacy_tok = Tokenizer.from_file(os.path.join(hf_dir, "tokenizer_legacy_merges.json"))
    prefix_tok = Tokenizer.from_file(os.path.join(hf_dir, "tokenizer_prefix_space.json"))

    pre = pre_tokenizers.ByteLevel(add_prefix_space=False)
    encs = encode_all(tok)
    assert encode_all(two_files) == encs and encode_all(legacy_tok) == encs
    variant_ids = {name: [e["ids"] for e in encode_all(t)] for name, t in sorted(variants.items())}
    cases = []
    for k, (text, enc, penc) in enumerate(zip(CASES, encs, encode_all(prefix_tok))):
        cases.append({"text": text, "pretokens": [p for p, _ in pre.pre_tokenize_str(text)],
                      "ids": enc["ids"], "tokens": enc["tokens"], "decoded": enc["decoded"],
                      "prefix_space_ids": penc["ids"],
                      "variant_ids": {name: ids[k] for name, ids in variant_ids.items()}})
    write_json(os.path.join(HERE, "cases.json"),
               {"tokenizers_version": tokenizers.__version__, "vocab_size": VOCAB,
                "specials": SPECIALS, "cases": cases})

    with open(os.path.join(HERE, "unicode_classes.txt"), "w", encoding="ascii", newline="\n") as f:
        f.write(unicode_classes())

    if args.ours:
        ours_dir = os.path.join(HERE, "ours")
        os.makedirs(ours_dir, exist_ok=True)
        ours_path = os.path.join(ours_dir, "tokenizer.json")
        subprocess.run([args.ours, "tokenizer", "train", "--data", corpus, "--vocab-size", str(VOCAB),
                        "--out", ours_path], check=True)
        ours = Tokenizer.from_file(ours_path)  # the round trip: HF loads our file
        gpt2_dir = os.path.join(ours_dir, "gpt2")
        subprocess.run([args.ours, "tokenizer", "train", "--data", corpus, "--vocab-size", str(VOCAB),
                        "--out", gpt2_dir, "--format", "gpt2"], check=True)
        ours_gpt2 = byte_level_tokenizer()
        ours_gpt2.model = models.BPE.from_file(os.path.join(gpt2_dir, "vocab.json"),
                                               os.path.join(gpt2_dir, "merges.txt"))
        ours_gpt2.add_special_tokens(SPECIALS)
        ours_vocab, ours_merges = model_of(ours_path)
        hf_vocab, hf_merges = model_of(os.path.join(hf_dir, "tokenizer.json"))
        check = {"tokenizers_version": tokenizers.__version__,
                 "same_vocab_as_hf_training": ours_vocab == hf_vocab,
                 "same_merges_as_hf_training": ours_merges == hf_merges,
                 "gpt2_files_give_same_ids": encode_all(ours_gpt2) == encode_all(ours),
                 "cases": [{"text": t, "ids": e["ids"], "decoded": e["decoded"]}
                           for t, e in zip(CASES, encode_all(ours))]}
        write_json(os.path.join(ours_dir, "hf_check.json"), check)
        print("ours: same vocab", check["same_vocab_as_hf_training"],
              "same merges", check["same_merges_as_hf_training"])
    print("wrote fixtures to", HERE)


if __name__ == "__main__":
    sys.exit(main())
