// Parses and validates a SafeTensors header against the file it came from.
// Rules (huggingface/safetensors, safetensors/src/tensor.rs, `Metadata::validate`): header length
// ≤ 100 MB and inside the file; JSON object of {dtype, shape, data_offsets} plus an optional
// string→string "__metadata__"; offsets sorted by start must tile the byte buffer exactly (no
// gap, no overlap, nothing left over); each tensor's byte length = elements × dtype size.

enum SafeTensorsHeader {
  struct Parsed {
    var metadata: [String: String]
    var tensors: [SafeTensorInfo]
    /// Byte offset of the data buffer in the file: 8 + header length.
    var dataStart: Int
  }

  /// A header that is valid JSON but breaks the format's schema.
  private struct SchemaError: Error { let message: String }

  static func parse(mapping: UnsafeRawBufferPointer, path: String) throws -> Parsed {
    func bad(_ problem: String) -> EngineError { .badFile(path: path, problem: problem) }
    let size = mapping.count
    let declared = UInt64(littleEndian: mapping.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
    guard declared > 0 else { throw bad("header length is 0; a SafeTensors header is at least \"{}\"") }
    guard declared <= UInt64(SafeTensorsFile.maxHeaderLength) else {
      throw bad(
        "header length \(declared) bytes is absurd (the limit is \(SafeTensorsFile.maxHeaderLength)); not a SafeTensors file?")
    }
    let headerLength = Int(declared)
    guard headerLength <= size - 8 else {
      throw bad(
        "header length \(headerLength) runs past the end of the file (\(size) bytes): the file is truncated or not a SafeTensors file"
      )
    }
    let header = UnsafeRawBufferPointer(rebasing: mapping[8..<(8 + headerLength)])
    let bufferLength = size - 8 - headerLength

    var metadata: [String: String] = [:]
    var raw: [(name: String, dtype: SafeTensorsDType, shape: [Int], begin: Int, end: Int)] = []
    do {
      // The schema is 3 levels deep; 16 leaves room for unknown fields and stops nesting bombs.
      var reader = JSONReader(header, maxDepth: 16)
      reader.skipWhitespace()
      guard reader.peekIsObject() else { throw SchemaError(message: "the header must be a JSON object") }
      try reader.readObject { reader, key in
        if key == "__metadata__" {
          guard reader.peekIsObject() else { throw SchemaError(message: "__metadata__ must be an object of strings") }
          try reader.readObject { reader, field in
            guard reader.peekIsString() else {
              throw SchemaError(message: "__metadata__ value for \"\(field)\" must be a string")
            }
            metadata[field] = try reader.readString()
          }
        } else {
          raw.append(try readTensorEntry(&reader, name: key))
        }
      }
      try reader.expectEnd()
    } catch let e as JSONSyntaxError {
      throw bad("header is not valid JSON: \(e)")
    } catch let e as SchemaError {
      throw bad("invalid header: \(e.message)")
    }

    var tensors: [SafeTensorInfo] = []
    tensors.reserveCapacity(raw.count)
    for t in raw {
      var elements = 1
      for d in t.shape {
        let (product, overflow) = elements.multipliedReportingOverflow(by: d)
        guard !overflow else { throw bad("tensor \"\(t.name)\" has shape \(t.shape), whose element count overflows") }
        elements = product
      }
      let (bytes, overflow) = elements.multipliedReportingOverflow(by: t.dtype.byteSize)
      guard !overflow else { throw bad("tensor \"\(t.name)\" has shape \(t.shape), whose byte size overflows") }
      guard t.begin <= t.end else {
        throw bad("tensor \"\(t.name)\" has reversed data_offsets [\(t.begin), \(t.end)]")
      }
      guard t.end <= bufferLength else {
        throw bad(
          "tensor \"\(t.name)\" has data_offsets [\(t.begin), \(t.end)] past the end of the data (\(bufferLength) bytes): the file is truncated or corrupt"
        )
      }
      guard t.end - t.begin == bytes else {
        throw bad(
          "tensor \"\(t.name)\" is \(t.dtype.rawValue) with shape \(t.shape), which needs \(bytes) bytes, but data_offsets [\(t.begin), \(t.end)] hold \(t.end - t.begin)"
        )
      }
      tensors.append(SafeTensorInfo(name: t.name, dtype: t.dtype, shape: t.shape, byteRange: t.begin..<t.end))
    }

    // Sorted by start, the ranges must tile [0, bufferLength): each starts where the last ended.
    tensors.sort { ($0.byteRange.lowerBound, $0.byteRange.upperBound) < ($1.byteRange.lowerBound, $1.byteRange.upperBound) }
    var covered = 0
    var previous: SafeTensorInfo?
    for t in tensors {
      if t.byteRange.lowerBound < covered, let p = previous {
        throw bad(
          "tensors \"\(p.name)\" [\(p.byteRange.lowerBound), \(p.byteRange.upperBound)] and \"\(t.name)\" [\(t.byteRange.lowerBound), \(t.byteRange.upperBound)] overlap"
        )
      }
      if t.byteRange.lowerBound > covered {
        throw bad("data bytes [\(covered), \(t.byteRange.lowerBound)) belong to no tensor (a gap before \"\(t.name)\")")
      }
      covered = t.byteRange.upperBound
      previous = t
    }
    guard covered == bufferLength else {
      throw bad(
        "the last \(bufferLength - covered) bytes of data belong to no tensor (data is \(bufferLength) bytes, tensors cover \(covered))"
      )
    }
    return Parsed(metadata: metadata, tensors: tensors, dataStart: 8 + headerLength)
  }

  /// A non-negative integer that fits in Int; `what` names the field for the message.
  private static func readCount(_ reader: inout JSONReader, _ what: String) throws -> Int {
    let value = try reader.readValue(depth: 0)
    guard case .number(let text) = value else { throw SchemaError(message: "\(what) holds \(value.kind), not an integer") }
    guard let n = Int(text) else { throw SchemaError(message: "\(what) holds \(text), not an integer that fits in 64 bits") }
    guard n >= 0 else { throw SchemaError(message: "\(what) holds the negative number \(n)") }
    return n
  }

  private static func readTensorEntry(
    _ reader: inout JSONReader, name: String
  )
    throws -> (name: String, dtype: SafeTensorsDType, shape: [Int], begin: Int, end: Int)
  {
    var dtype: SafeTensorsDType?
    var shape: [Int]?
    var offsets: [Int]?
    reader.skipWhitespace()
    guard reader.peekIsObject() else { throw SchemaError(message: "entry \"\(name)\" must be an object") }
    try reader.readObject { reader, field in
      switch field {
      case "dtype":
        guard reader.peekIsString() else { throw SchemaError(message: "tensor \"\(name)\": dtype must be a string") }
        let text = try reader.readString()
        guard let d = SafeTensorsDType(rawValue: text) else {
          throw SchemaError(message: "tensor \"\(name)\" has unknown dtype \"\(text)\"")
        }
        dtype = d
      case "shape":
        var dims: [Int] = []
        try reader.readArray { reader in
          guard dims.count < SafeTensorsFile.maxRank else {
            throw SchemaError(message: "tensor \"\(name)\" has more than \(SafeTensorsFile.maxRank) dimensions")
          }
          dims.append(try readCount(&reader, "tensor \"\(name)\" shape"))
        }
        shape = dims
      case "data_offsets":
        var pair: [Int] = []
        try reader.readArray { reader in
          guard pair.count < 2 else { throw SchemaError(message: "tensor \"\(name)\": data_offsets must be [begin, end]") }
          pair.append(try readCount(&reader, "tensor \"\(name)\" data_offsets"))
        }
        guard pair.count == 2 else { throw SchemaError(message: "tensor \"\(name)\": data_offsets must be [begin, end]") }
        offsets = pair
      default:
        // Unknown fields are ignored, as serde does in the reference implementation.
        try reader.skipValue(depth: 2)
      }
    }
    guard let dtype, let shape, let offsets else {
      let missing = [("dtype", dtype == nil), ("shape", shape == nil), ("data_offsets", offsets == nil)].filter(\.1).map(\.0)
      throw SchemaError(message: "tensor \"\(name)\" lacks \(missing.joined(separator: ", "))")
    }
    return (name, dtype, shape, offsets[0], offsets[1])
  }
}
