import DengaoCore
import Testing

/// The one place score and time arithmetic goes to at the limits.
@Suite struct SaturatingTests {
    @Test func sumsAndDifferencesHoldAtTheLimits() {
        #expect(Int.max.saturatingAdding(1) == .max)
        #expect(Int.min.saturatingAdding(-1) == .min)
        #expect(Int.max.saturatingAdding(Int.min) == -1)
        #expect(40.saturatingAdding(2) == 42)
        #expect(Int.min.saturatingSubtracting(1) == .min)
        #expect(0.saturatingSubtracting(Int.min) == .max)
        #expect(Int.max.saturatingSubtracting(-1) == .max)
        #expect(Int64.max.saturatingAdding(Int64.max) == .max)
    }

    @Test func productsAndNegationHoldAtTheLimits() {
        #expect(Int.max.saturatingMultiplied(by: 2) == .max)
        #expect(Int.max.saturatingMultiplied(by: -2) == .min)
        #expect(Int.min.saturatingMultiplied(by: -1) == .max)
        #expect(Int.min.saturatingMultiplied(by: 0) == 0)
        #expect((-7).saturatingMultiplied(by: 6) == -42)
        #expect(Int.min.saturatingNegated == .max)
        #expect(Int.max.saturatingNegated == -Int.max)
        #expect(Int.max.saturatingMilliseconds == .max)
        #expect(Int.min.saturatingMilliseconds == .min)
        #expect(600.saturatingMilliseconds == 600_000)
    }

    @Test func doublesBecomeIntsWithoutTrapping() {
        #expect(Int(saturating: .nan) == 0)
        #expect(Int(saturating: .infinity) == .max)
        #expect(Int(saturating: -.infinity) == .min)
        // Double(Int.max) is 2^63, one past Int.max: `Int(_:)` traps on it.
        #expect(Int(saturating: Double(Int.max)) == .max)
        #expect(Int(saturating: Double(Int.min)) == .min)
        #expect(Int(saturating: 2.5) == 3)
        #expect(Int(saturating: -2.5) == -3)
        #expect(Int(saturating: 1e300) == .max)
    }

    @Test func queryNumbersAreDigitsOfAnyLength() {
        #expect(Paging.wholeNumber("42") == 42)
        #expect(Paging.wholeNumber("+7") == 7)
        #expect(Paging.wholeNumber("-3") == -3)
        #expect(Paging.wholeNumber("99999999999999999999999999") == .max)
        #expect(Paging.wholeNumber("-99999999999999999999999999") == .min)
        for refused in ["", "-", "1.5", "NaN", "Infinity", "0x10", " 2", "2 ", "abc", "1e3", "٣"] {
            #expect(Paging.wholeNumber(refused[...]) == nil, "\(refused)")
        }
    }

    @Test func pagingClampsSoTheOffsetCannotOverflow() {
        let far = Paging(page: .max, perPage: .max, defaultSize: 20)
        #expect(far.page == Paging.pages.range.upperBound)
        #expect(far.perPage == Paging.sizes.range.upperBound)
        #expect(far.offset == (Paging.pages.range.upperBound - 1) * Paging.sizes.range.upperBound)
        let low = Paging(page: .min, perPage: 0, defaultSize: 20)
        #expect(low.page == 1 && low.perPage == 1 && low.offset == 0)
        let defaults = Paging(page: nil, perPage: nil, defaultSize: 50)
        #expect(defaults.page == 1 && defaults.perPage == 50)
        #expect(Paging(page: 3, perPage: 20, defaultSize: 50).offset == 40)
    }
}
