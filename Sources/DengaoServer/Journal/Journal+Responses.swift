import DengaoCore

extension Journal {
    /// Waits until everything decided so far is on disk, for an HTTP response that shows live state (a climb, a
    /// board): like every WebSocket frame, it must not show what a crash could take back. Read after the state.
    func holdUntilDurable() async throws(APIError) {
        do {
            try await durable(lastAppended)
        } catch {
            throw APIError(status: .serviceUnavailable, message: "未能保存，请重试 (not saved, try again)", code: "not-saved")
        }
    }
}
