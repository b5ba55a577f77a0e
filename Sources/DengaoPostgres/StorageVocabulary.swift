// The view and record types the store's methods speak (`ContestSummary`, `StoreError`, `JournalRecord`…) are still
// defined in DengaoStorage, next to the SQLite store. This one import makes them visible to the whole target (and
// to its users, who must see them in the signatures anyway). Delete this file when they move to DengaoCore.
@_exported import DengaoStorage
