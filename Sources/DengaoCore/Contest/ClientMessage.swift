/// What phones, the host console and the display send, protocol version 2 (docs/contest-protocol.md).
/// Each message is a JSON object with a `type`; unknown types and missing fields are refused with an `error`.
/// Part of the shared core because the wire protocol belongs to both ends (and so it can be fuzzed alone).
public enum ClientMessage: Sendable, Equatable {
    case join(pin: String, name: String?, branchId: UnitID?)
    case resume(pin: String, token: String)
    /// `picks` are positions on the player's own (shuffled) screen, mapped back to the bank's options by the server.
    case answer(number: Int, picks: [Int]?, truth: Bool?, text: String?)
    case buzz(number: Int)
    case wager(number: Int, amount: Int)
    case host(contestId: ContestID)
    case command(HostCommand)
    case kick(seat: Int)
    case display(contestId: ContestID, token: String)
    case ping

    /// The version this server speaks. Version 2: a phone's `reveal` carries the phase, and no `state` comes with it.
    public static let protocolVersion = 2
    /// Pages loaded before an upgrade keep talking to the restarted server; version 1 phones still get the `state`
    /// at a reveal, which is where their page reads the phase from.
    public static let supportedVersions = 1...protocolVersion

    /// No legitimate message comes near this; anything larger is refused unread.
    public static let maximumBytes = 4096
}

extension ClientMessage: Decodable {
    private enum Kind: String, Decodable {
        case join, resume, answer, buzz, wager, host, command, kick, display, ping
    }

    private enum Keys: String, CodingKey {
        case type, v, pin, name, branchId, token, number, picks, truth, text, amount, contestId, command, seat
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        if let version = try c.decodeIfPresent(Int.self, forKey: .v), !Self.supportedVersions.contains(version) {
            throw DecodingError.dataCorruptedError(
                forKey: .v, in: c, debugDescription: "protocol version \(version) is not supported")
        }
        switch try c.decode(Kind.self, forKey: .type) {
        case .join:
            self = .join(
                pin: try c.decode(String.self, forKey: .pin), name: try c.decodeIfPresent(String.self, forKey: .name),
                branchId: try c.decodeIfPresent(UnitID.self, forKey: .branchId))
        case .resume:
            self = .resume(
                pin: try c.decode(String.self, forKey: .pin), token: try c.decode(String.self, forKey: .token))
        case .answer:
            self = .answer(
                number: try c.decode(Int.self, forKey: .number),
                picks: try c.decodeIfPresent([Int].self, forKey: .picks),
                truth: try c.decodeIfPresent(Bool.self, forKey: .truth),
                text: try c.decodeIfPresent(String.self, forKey: .text))
        case .buzz:
            self = .buzz(number: try c.decode(Int.self, forKey: .number))
        case .wager:
            self = .wager(
                number: try c.decode(Int.self, forKey: .number), amount: try c.decode(Int.self, forKey: .amount))
        case .host:
            self = .host(contestId: try c.decode(ContestID.self, forKey: .contestId))
        case .command:
            self = .command(try c.decode(HostCommand.self, forKey: .command))
        case .kick:
            self = .kick(seat: try c.decode(Int.self, forKey: .seat))
        case .display:
            self = .display(
                contestId: try c.decode(ContestID.self, forKey: .contestId),
                token: try c.decode(String.self, forKey: .token))
        case .ping:
            self = .ping
        }
    }
}
