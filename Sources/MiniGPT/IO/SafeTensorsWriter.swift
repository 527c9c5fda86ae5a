// SafeTensors writer: tensors laid out back to back in the order given, a JSON header padded
// with spaces to a multiple of 8 bytes (so the data buffer starts 8-aligned, as the Rust crate
// does), metadata under "__metadata__", and an atomic replace of the destination (AtomicFile).
// Reference: https://huggingface.co/docs/safetensors (format section).

import Foundation

public struct SafeTensorsWriter {
  public enum Payload {
    /// Float32 values, written little-endian. A slice of a larger buffer is not copied.
    case float32(ArraySlice<Float>)
    /// Bytes already in the file's encoding (little-endian `dtype` elements).
    case raw(SafeTensorsDType, [UInt8])
  }

  public struct Entry {
    public let name: String
    public let shape: [Int]
    public let payload: Payload

    public var dtype: SafeTensorsDType {
      if case .raw(let d, _) = payload { return d }
      return .f32
    }
    public var byteCount: Int {
      switch payload {
      case .float32(let values): return values.count * 4
      case .raw(_, let bytes): return bytes.count
      }
    }
  }

  public var metadata: [String: String]
  public private(set) var entries: [Entry] = []
  private var names = Set<String>()

  public init(metadata: [String: String] = [:]) { self.metadata = metadata }

  /// Adds a Float32 tensor. Names must be unique; the count must match the shape.
  public mutating func append(_ name: String, shape: [Int], floats: ArraySlice<Float>) {
    precondition(
      shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) == floats.count,
      "tensor \(name): \(floats.count) values do not fill shape \(shape)")
    add(Entry(name: name, shape: shape, payload: .float32(floats)))
  }

  public mutating func append(_ name: String, shape: [Int], floats: [Float]) {
    append(name, shape: shape, floats: floats[...])
  }

  /// Adds a tensor of any dtype from its encoded little-endian bytes.
  public mutating func append(_ name: String, dtype: SafeTensorsDType, shape: [Int], bytes: [UInt8]) {
    precondition(
      shape.allSatisfy { $0 >= 0 } && shape.reduce(1, *) * dtype.byteSize == bytes.count,
      "tensor \(name): \(bytes.count) bytes do not fill \(dtype.rawValue) shape \(shape)")
    add(Entry(name: name, shape: shape, payload: .raw(dtype, bytes)))
  }

  private mutating func add(_ entry: Entry) {
    precondition(entry.name != "__metadata__", "\"__metadata__\" is reserved for the metadata map")
    precondition(names.insert(entry.name).inserted, "duplicate tensor name \(entry.name)")
    entries.append(entry)
  }

  /// The 8-byte length plus the padded JSON header: everything before the data buffer.
  public func headerBytes() -> [UInt8] {
    var json = "{"
    var fields: [String] = []
    if !metadata.isEmpty {
      // Sorted so the same checkpoint always produces the same bytes.
      let members = metadata.sorted { $0.key < $1.key }.map { JSONText.quoted($0.key) + ":" + JSONText.quoted($0.value) }
      fields.append("\"__metadata__\":{" + members.joined(separator: ",") + "}")
    }
    var offset = 0
    for e in entries {
      let shape = e.shape.map(String.init).joined(separator: ",")
      fields.append(
        JSONText.quoted(e.name)
          + ":{\"dtype\":\"\(e.dtype.rawValue)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + e.byteCount)]}")
      offset += e.byteCount
    }
    json += fields.joined(separator: ",") + "}"
    var header = Array(json.utf8)
    // Trailing spaces are JSON whitespace, so padding keeps the header valid.
    header += [UInt8](repeating: 0x20, count: (8 - header.count % 8) % 8)
    var length = UInt64(header.count).littleEndian
    return withUnsafeBytes(of: &length) { Array($0) } + header
  }

  /// Writes the file atomically (temporary file, fsync, rename, fsync of the directory).
  public func write(to url: URL) throws {
    try AtomicFile.write(to: url) { sink in
      try sink.write(headerBytes())
      for e in entries {
        switch e.payload {
        case .raw(_, let bytes): try sink.write(bytes)
        case .float32(let values): try Self.writeLittleEndian(values, to: &sink)
        }
      }
    }
  }

  private static func writeLittleEndian(_ values: ArraySlice<Float>, to sink: inout FileSink) throws {
    #if _endian(little)
    try values.withUnsafeBytes { try sink.write($0) }
    #else
    // Big-endian hosts swap in chunks to keep memory flat.
    var start = values.startIndex
    while start < values.endIndex {
      let end = min(start + 65536, values.endIndex)
      let swapped = values[start..<end].map { $0.bitPattern.littleEndian }
      try swapped.withUnsafeBytes { try sink.write($0) }
      start = end
    }
    #endif
  }
}
