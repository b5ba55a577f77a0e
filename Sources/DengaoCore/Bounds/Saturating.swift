// Score and time arithmetic that cannot trap. Creation bounds (docs/bounds.md) keep every realistic value far from
// the limits, but a contest or campaign stored before those bounds existed, or a row edited by hand, is replayed at
// every start: one overflow there would stop the server again on each restart. So the arithmetic on points,
// penalties, stakes and deadlines goes through these, which hold at the type's limits instead of trapping.

extension FixedWidthInteger where Self: SignedInteger {
    /// `self + other`, held at `.max` or `.min` instead of overflowing.
    @inlinable
    public func saturatingAdding(_ other: Self) -> Self {
        let (sum, overflow) = addingReportingOverflow(other)
        guard overflow else { return sum }
        return other > 0 ? .max : .min
    }

    /// `self - other`, held at `.max` or `.min` instead of overflowing.
    @inlinable
    public func saturatingSubtracting(_ other: Self) -> Self {
        let (difference, overflow) = subtractingReportingOverflow(other)
        guard overflow else { return difference }
        return other < 0 ? .max : .min
    }

    /// `self × other`, held at `.max` or `.min` instead of overflowing.
    @inlinable
    public func saturatingMultiplied(by other: Self) -> Self {
        let (product, overflow) = multipliedReportingOverflow(by: other)
        guard overflow else { return product }
        return (self < 0) == (other < 0) ? .max : .min
    }

    /// `-self`; `-.min` does not exist, so it is held at `.max`.
    @inlinable
    public var saturatingNegated: Self { Self.zero.saturatingSubtracting(self) }

    /// Seconds as milliseconds, held at the limits.
    @inlinable
    public var saturatingMilliseconds: Self { saturatingMultiplied(by: 1000) }
}

extension Int {
    /// The nearest `Int` to `value` rounded to nearest, held at the limits; NaN is 0. `Int(_: Double)` traps on
    /// all three, and `Double(Int.max)` itself rounds up past `Int.max`.
    @inlinable
    public init(saturating value: Double) {
        let rounded = value.rounded()
        if rounded.isNaN {
            self = 0
        } else if rounded >= 9_223_372_036_854_775_808.0 {
            self = .max
        } else if rounded < -9_223_372_036_854_775_808.0 {
            self = .min
        } else {
            self = Int(rounded)
        }
    }
}
