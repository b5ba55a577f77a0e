/// What a route demands of the caller; every API route states one when it is registered (see `GuardedRoutes`).
///
/// Rules that name a resource take the name of the path parameter holding it; the `Authorizer` resolves that
/// resource to its owning unit and asks the core's `AccessPolicy`.
enum AccessRule: Sendable {
    /// No session needed: signing in, redeeming an invitation. Still subject to the Origin check.
    case open
    /// An administrator or an organizer; listings are then narrowed to the caller's subtree by the store query.
    case staff
    case administrator
    /// A member signed in on their device.
    case signedInMember
    /// Manage the unit whose id is in the path parameter.
    case unit(parameter: String)
    /// Move or delete the unit whose id is in the path parameter.
    case restructureUnit(parameter: String)
    /// Manage the member whose number is in the path parameter.
    case rosterMember(parameter: String)
    case invitation(parameter: String)
    case account(parameter: String)
    case readBank(parameter: String)
    case editBank(parameter: String)
    /// Host, edit or read the results of the contest whose id is in the path parameter.
    case contest(parameter: String)
    /// Edit, monitor or export the campaign whose id is in the path parameter.
    case campaign(parameter: String)
    /// Read the results of, or close, the survey whose id is in the path parameter.
    case survey(parameter: String)
}
