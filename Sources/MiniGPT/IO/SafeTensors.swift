// SafeTensors reader: a memory-mapped file checked against every rule of the format.
// Reference: https://huggingface.co/docs/safetensors (the format section) and the Rust crate's
// `SafeTensors::deserialize` / `Metadata::validate` (huggingface/safetensors, safetensors/src/tensor.rs).
// Layout: u64 little-endian N | N bytes of UTF-8 JSON header | byte buffer (offsets relative to it).

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Element types of the format. Only F32, F16, BF16 and F64 convert to Float; the integer types
/// read as integers; the rest are understood (so a header validates) but refused on read.
public enum SafeTensorsDType: String, CaseIterable, Sendable {
  case bool = "BOOL", u8 = "U8", i8 = "I8", f8e5m2 = "F8_E5M2", f8e4m3 = "F8_E4M3"
  case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
  case i32 = "I32", u32 = "U32", f32 = "F32", f64 = "F64", i64 = "I64", u64 = "U64"

  public var byteSize: Int {
    switch self {
    case .bool, .u8, .i8, .f8e5m2, .f8e4m3: return 1
    case .i16, .u16, .f16, .bf16: return 2
    case .i32, .u32, .f32: return 4
    case .f64, .i64, .u64: return 8
    }
  }
}

/// A tensor's entry in the header; `byteRange` is relative to the start of the byte buffer.
public struct SafeTensorInfo: Hashable, Sendable {
  public let name: String
  public let dtype: SafeTensorsDType
  public let shape: [Int]
  public let byteRange: Range<Int>
  public var elementCount: Int { shape.reduce(1, *) }
}

/// An open, validated SafeTensors file. The mapping stays alive as long as this object.
public final class SafeTensorsFile: @unchecked Sendable {
  /// Header lengths above this are refused (the Rust crate's MAX_HEADER_SIZE).
  public static let maxHeaderLength = 100_000_000
  /// More dimensions than this is not a real tensor (NumPy's limit is 64).
  public static let maxRank = 64

  public let path: String
  /// `__metadata__`, empty when the file has none.
  public let metadata: [String: String]
  /// Tensors in file order (by data offset).
  public let tensors: [SafeTensorInfo]
  private let index: [String: Int]
  private let mapping: UnsafeRawBufferPointer
  private let dataStart: Int

  /// Opens and validates `url`; throws `EngineError.badFile` naming the file and the problem.
  public convenience init(contentsOf url: URL) throws { try self.init(path: url.path) }

  public init(path: String) throws {
    func bad(_ problem: String) -> EngineError { .badFile(path: path, problem: problem) }
    self.path = path
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw bad("cannot open: \(String(cString: strerror(errno)))") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw bad("cannot stat: \(String(cString: strerror(errno)))") }
    guard (info.st_mode & S_IFMT) == S_IFREG else { throw bad("not a regular file") }
    let size = Int(info.st_size)
    guard size >= 8 else {
      throw bad("file is \(size) bytes, too short for the 8-byte header length of a SafeTensors file")
    }
    // mmap of a private read-only view: pages load on demand, nothing is copied up front.
    guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
      throw bad("cannot memory-map: \(String(cString: strerror(errno)))")
    }
    let mapping = UnsafeRawBufferPointer(start: base, count: size)
    do {
      let parsed = try SafeTensorsHeader.parse(mapping: mapping, path: path)
      self.metadata = parsed.metadata
      self.tensors = parsed.tensors
      self.dataStart = parsed.dataStart
    } catch {
      munmap(base, size)
      throw error
    }
    self.mapping = mapping
    self.index = Dictionary(uniqueKeysWithValues: tensors.enumerated().map { ($1.name, $0) })
  }

  deinit { munmap(UnsafeMutableRawPointer(mutating: mapping.baseAddress), mapping.count) }

  public subscript(name: String) -> SafeTensorInfo? { index[name].map { tensors[$0] } }

  private func info(_ name: String) throws -> SafeTensorInfo {
    guard let i = index[name] else { throw EngineError.badFile(path: path, problem: "no tensor named \"\(name)\"") }
    return tensors[i]
  }

  /// The raw little-endian bytes of a tensor, valid while this object lives.
  public func rawBytes(_ name: String) throws -> UnsafeRawBufferPointer {
    let t = try info(name)
    return UnsafeRawBufferPointer(rebasing: mapping[(dataStart + t.byteRange.lowerBound)..<(dataStart + t.byteRange.upperBound)])
  }

  /// A tensor converted to Float (from F32, F16, BF16 or F64), row-major.
  public func floats(_ name: String) throws -> [Float] {
    let t = try info(name)
    return try [Float](unsafeUninitializedCapacity: t.elementCount) { buffer, count in
      try copyFloats(name, into: buffer)
      count = t.elementCount
    }
  }

  /// Converts a tensor into `destination` (exactly `elementCount` elements), without a temporary.
  public func copyFloats(_ name: String, into destination: UnsafeMutableBufferPointer<Float>) throws {
    let t = try info(name)
    precondition(destination.count == t.elementCount, "destination holds \(destination.count), tensor \(t.elementCount)")
    let src = try rawBytes(name)
    let n = t.elementCount
    // Offsets in foreign files need not be aligned, so every load is unaligned.
    switch t.dtype {
    case .f32:
      #if _endian(little)
      // Same bytes on a little-endian host: one copy straight out of the mapping.
      if n > 0 { UnsafeMutableRawPointer(destination.baseAddress!).copyMemory(from: src.baseAddress!, byteCount: 4 * n) }
      #else
      for i in 0..<n {
        destination[i] = Float(bitPattern: UInt32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
      }
      #endif
    case .f16:
      for i in 0..<n {
        destination[i] = Self.float(fromHalf: UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
      }
    case .bf16:
      for i in 0..<n {
        destination[i] = Self.float(fromBFloat16: UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
      }
    case .f64:
      for i in 0..<n {
        destination[i] = Float(
          Double(bitPattern: UInt64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
      }
    default:
      throw EngineError.badFile(
        path: path,
        problem: "tensor \"\(name)\" has dtype \(t.dtype.rawValue); only F32, F16, BF16 and F64 convert to floating point")
    }
  }

  /// An integer tensor (I8, U8, I16, U16, I32, U32, I64, BOOL) as Int; U64 values above Int.max are refused.
  public func integers(_ name: String) throws -> [Int] {
    let t = try info(name)
    let src = try rawBytes(name)
    let n = t.elementCount
    switch t.dtype {
    case .bool, .u8: return (0..<n).map { Int(src[$0]) }
    case .i8: return (0..<n).map { Int(Int8(bitPattern: src[$0])) }
    case .i16: return (0..<n).map { Int(Int16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * $0, as: Int16.self))) }
    case .u16: return (0..<n).map { Int(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * $0, as: UInt16.self))) }
    case .i32: return (0..<n).map { Int(Int32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * $0, as: Int32.self))) }
    case .u32: return (0..<n).map { Int(UInt32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) }
    case .i64: return (0..<n).map { Int(Int64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * $0, as: Int64.self))) }
    case .u64:
      var out: [Int] = []
      out.reserveCapacity(n)
      for i in 0..<n {
        let v = UInt64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))
        guard let x = Int(exactly: v) else {
          throw EngineError.badFile(path: path, problem: "tensor \"\(name)\" holds \(v), too large for Int")
        }
        out.append(x)
      }
      return out
    default:
      throw EngineError.badFile(path: path, problem: "tensor \"\(name)\" has dtype \(t.dtype.rawValue), not an integer type")
    }
  }

  /// IEEE 754 binary16 → binary32, exactly (every half is representable as a float).
  /// Layout: sign 1 | exponent 5 (bias 15) | mantissa 10.
  @inline(__always)
  public static func float(fromHalf h: UInt16) -> Float {
    let sign = UInt32(h >> 15) << 31
    let exponent = UInt32(h >> 10) & 0x1F
    let mantissa = UInt32(h) & 0x3FF
    switch exponent {
    case 0:
      // Zero or subnormal: mantissa × 2⁻²⁴ (2⁻¹⁴ × mantissa/1024); exact in Float.
      let magnitude = Float(mantissa) * 0x1p-24
      return sign == 0 ? magnitude : -magnitude
    case 0x1F:
      // Infinity (mantissa 0) or NaN, keeping the payload in the top mantissa bits.
      return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
    default:
      // Normal: rebias the exponent from 15 to 127, widen the mantissa from 10 to 23 bits.
      return Float(bitPattern: sign | (exponent + 112) << 23 | mantissa << 13)
    }
  }

  /// bfloat16 is the top half of a binary32, so widening is a shift (denormals, inf, NaN included).
  @inline(__always)
  public static func float(fromBFloat16 b: UInt16) -> Float { Float(bitPattern: UInt32(b) << 16) }
}
