// Colour scales shared by the terminal and HTML renderers, so a heatmap looks the same in both:
// ColorBrewer "Blues" for sequential values and "RdBu" (reversed) for signed values
// (Brewer, colorbrewer2.org), linearly interpolated; a pastel palette for token chips.
import LessonModel

public struct RGB: Equatable, Sendable {
  public var red: UInt8
  public var green: UInt8
  public var blue: UInt8

  public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8) {
    self.red = red
    self.green = green
    self.blue = blue
  }

  init(hex: UInt32) {
    self.init(UInt8(hex >> 16 & 0xFF), UInt8(hex >> 8 & 0xFF), UInt8(hex & 0xFF))
  }

  /// "#08306b".
  public var hex: String {
    "#"
      + [red, green, blue].map { byte -> String in
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
      }.joined()
  }

  /// Relative luminance (ITU-R BT.709 weights on sRGB values; good enough to choose a text colour).
  var luminance: Double {
    (0.2126 * Double(red) + 0.7152 * Double(green) + 0.0722 * Double(blue)) / 255
  }

  /// Black or white, whichever reads better on this background.
  public var textColour: RGB { luminance > 0.55 ? RGB(0, 0, 0) : RGB(255, 255, 255) }

  /// The nearest colour of the xterm 256-colour palette (6×6×6 cube or 24 greys), as tmux does.
  public var xterm256Index: Int {
    func cubeLevel(_ v: UInt8) -> Int { v < 48 ? 0 : v < 115 ? 1 : (Int(v) - 35) / 40 }
    let levels = [0, 95, 135, 175, 215, 255]
    let (r, g, b) = (cubeLevel(red), cubeLevel(green), cubeLevel(blue))
    let cube = RGB(UInt8(levels[r]), UInt8(levels[g]), UInt8(levels[b]))
    let average = (Int(red) + Int(green) + Int(blue)) / 3
    let greyIndex = average > 238 ? 23 : max(0, (average - 3) / 10)
    let greyLevel = UInt8(8 + 10 * greyIndex)
    let grey = RGB(greyLevel, greyLevel, greyLevel)
    return distance(to: grey) < distance(to: cube) ? 232 + greyIndex : 16 + 36 * r + 6 * g + b
  }

  private func distance(to other: RGB) -> Int {
    let dr = Int(red) - Int(other.red)
    let dg = Int(green) - Int(other.green)
    let db = Int(blue) - Int(other.blue)
    return dr * dr + dg * dg + db * db
  }
}

public enum ColourMap {
  static let blues: [RGB] = [0xF7FBFF, 0xC6DBEF, 0x6BAED6, 0x2171B5, 0x08306B].map(RGB.init(hex:))
  static let redBlue: [RGB] = [0x2166AC, 0x92C5DE, 0xF7F7F7, 0xF4A582, 0xB2182B].map(RGB.init(hex:))
  static let tokenPalette: [RGB] =
    [0xFDE2E4, 0xDFE7FD, 0xE2ECE9, 0xFFF1C1, 0xE8DFF5, 0xD4F0F0].map(RGB.init(hex:))
  /// Line colours for chart series (Tableau 10's first four).
  public static let series: [RGB] = [0x1F77B4, 0xD62728, 0x2CA02C, 0x9467BD].map(RGB.init(hex:))

  /// The colour of `value` on `scale` over `range` (values outside are clamped; NaN is grey).
  public static func colour(for value: Float, scale: ColourScale, range: ClosedRange<Float>) -> RGB {
    guard !value.isNaN else { return RGB(0xBB, 0xBB, 0xBB) }
    let span = range.upperBound - range.lowerBound
    let t = span > 0 ? (value - range.lowerBound) / span : 0.5
    return interpolate(scale == .sequential ? blues : redBlue, at: Double(min(max(t, 0), 1)))
  }

  /// The stops of a scale, for legends and CSS gradients.
  public static func stops(_ scale: ColourScale) -> [RGB] { scale == .sequential ? blues : redBlue }

  /// A chip colour for the `index`-th token when tokens carry no values.
  public static func token(_ index: Int) -> RGB { tokenPalette[index % tokenPalette.count] }

  static func interpolate(_ stops: [RGB], at t: Double) -> RGB {
    let position = t * Double(stops.count - 1)
    let lower = min(Int(position), stops.count - 2)
    let fraction = position - Double(lower)
    func mix(_ a: UInt8, _ b: UInt8) -> UInt8 {
      UInt8((Double(a) + (Double(b) - Double(a)) * fraction).rounded())
    }
    let a = stops[lower]
    let b = stops[lower + 1]
    return RGB(mix(a.red, b.red), mix(a.green, b.green), mix(a.blue, b.blue))
  }
}
