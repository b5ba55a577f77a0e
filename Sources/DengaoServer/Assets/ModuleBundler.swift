import Foundation

/// Joins a page's JavaScript modules into one module, so a phone on a crowded hall Wi-Fi fetches one script instead
/// of a dozen in a waterfall (each wave costs a round trip; at 400 ms RTT the waves, not the bytes, were most of a
/// 5.7 s first load).
///
/// Written here rather than taken from a package because none of ours bundles JavaScript, and Public/ has no build
/// step by design. It relies on the house style of Public/js, and refuses (`Refusal`) whatever falls outside it,
/// so a page it cannot bundle is served as its separate modules, never broken:
/// - `import` and `export` statements start at column 0 (a module's top level) and end with `;`;
/// - imports are `import x from`, `import * as x from`, `import { a, b as c } from`, `import x, { … } from`, or
///   `import '…'`, all with relative paths; dynamic `import('./…')` stays as it is (it loads the file itself);
/// - exports are `export function|async function|function*|const|class NAME`, `export default …` and
///   `export { a, b as c };` — no `export let`/`var` (an importer would see a copy taken after the module ran, not
///   a live binding), no `export … from`, no `import.meta`, no cycles.
///
/// Each module becomes `const $mN = (() => { body; return { exports }; })();` in dependency order, so modules keep
/// their own scope and run once, in the order the browser would run them. (No top-level `await`, in the bundle or
/// in a module: browsers that run modules without it are still in members' hands.) Whole-line `//` comments
/// outside template literals are left out: they are a fifth of the bytes and never code.
struct ModuleBundler {
    /// Why a page's modules were not joined.
    struct Refusal: Error, Equatable, CustomStringConvertible {
        let module: String
        let reason: String
        var description: String { "\(module): \(reason)" }
    }

    /// Each module read once, though most pages share most modules.
    private let parsed: [String: Result<Module, Refusal>]

    /// `sources`: the modules' sources by path relative to the public directory ("js/play.js").
    init(sources: [String: String]) {
        var parsed: [String: Result<Module, Refusal>] = [:]
        for path in sources.keys {
            parsed[path] = Result { try Self.read(path, sources: sources) }.mapError {
                ($0 as? Refusal) ?? Refusal(module: path, reason: "\($0)")
            }
        }
        self.parsed = parsed
    }

    /// The bundle of `entry` and every module it imports, statically, directly or not. With `dictionaries`, the
    /// language dictionaries among those modules keep only what the page can ask for (`DictionaryTrim`);
    /// `pageText` is the HTML of the pages that start `entry`, whose `data-i18n` keys count too.
    func bundle(entry: String, trimmingDictionariesIn dictionaries: String? = nil, pageText: String = "") throws
        -> String
    {
        let order = try dependencyOrder(from: entry)
        let names = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($0.element, "$m\($0.offset)") })
        let trim = try dictionaries.map { folder in
            DictionaryTrim(
                folder: folder,
                // The code as joined (comments left out: a comment naming a key is not a use of it).
                families: DictionaryTrim.families(
                    in: try order.filter { !$0.hasPrefix(folder) }.map(codeText) + [pageText]))
        }
        var output = "// \(entry) and the modules it imports, joined by the server (ModuleBundler.swift).\n"
        for path in order {
            let module = try parse(path)
            let lines = trim.flatMap { $0.trimmed(module.lines, of: path) } ?? module.lines
            output += "const \(names[path]!) = (() => {\n"
            for line in lines {
                switch line {
                case .code(let text): output += text + "\n"
                case .imports(let bindings, let from):
                    let source = names[from]!
                    for binding in bindings {
                        switch binding {
                        case .namespace(let local): output += "const \(local) = \(source);\n"
                        case .named(let exported, let local): output += "const \(local) = \(source).\(exported);\n"
                        }
                    }
                }
            }
            let exports = module.exports.map { $0.exported == $0.local ? $0.local : "\($0.exported): \($0.local)" }
            output += "return { \(exports.joined(separator: ", ")) };\n})();\n"
        }
        return output
    }

    /// A module's code lines, as they go into a bundle.
    private func codeText(_ path: String) throws -> String {
        try parse(path).lines.compactMap { line in
            if case .code(let text) = line { text } else { nil }
        }.joined(separator: "\n")
    }

    /// Post-order from `entry`: every module after the modules it imports, each once.
    func dependencyOrder(from entry: String) throws -> [String] {
        var order: [String] = []
        var done: Set<String> = []
        var visiting: [String] = []
        func visit(_ path: String) throws {
            if done.contains(path) { return }
            if visiting.contains(path) {
                throw Refusal(
                    module: path, reason: "imports form a cycle: \((visiting + [path]).joined(separator: " → "))")
            }
            visiting.append(path)
            for dependency in try parse(path).dependencies { try visit(dependency) }
            visiting.removeLast()
            done.insert(path)
            order.append(path)
        }
        try visit(entry)
        return order
    }

    // MARK: - One module

    enum Binding: Equatable {
        case namespace(local: String)
        case named(exported: String, local: String)
    }

    enum Line {
        case code(String)
        case imports([Binding], from: String)
    }

    struct Module {
        var lines: [Line] = []
        var exports: [(exported: String, local: String)] = []
        var dependencies: [String] = []
    }

    func parse(_ path: String) throws -> Module {
        guard let module = parsed[path] else { throw Refusal(module: path, reason: "no such module") }
        return try module.get()
    }

    private static func read(_ path: String, sources: [String: String]) throws -> Module {
        let source = sources[path]!
        func refuse(_ reason: String) -> Refusal { Refusal(module: path, reason: reason) }
        if source.contains("import.meta") { throw refuse("uses import.meta") }
        var module = Module()
        var inTemplate = false
        var statement: String?
        for line in source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if var pending = statement {
                pending += " " + line.trimmingCharacters(in: .whitespaces)
                if line.hasSuffix(";") {
                    statement = nil
                    try take(pending, into: &module, path: path)
                } else {
                    statement = pending
                }
                continue
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if !inTemplate && (trimmed.isEmpty || trimmed.hasPrefix("//")) { continue }
            // A template literal may span lines; its lines are text, kept exactly.
            let backticks = line.utf8.reduce(0) { $1 == UInt8(ascii: "`") ? $0 + 1 : $0 }
            defer { if backticks % 2 == 1 { inTemplate.toggle() } }
            if inTemplate {
                module.lines.append(.code(line))
                continue
            }
            if line.hasPrefix("await ") || (!line.hasPrefix(" ") && line.contains(" await ")) {
                throw refuse("top-level await")
            }
            if line.hasPrefix("import ") || line.hasPrefix("import{") {
                if line.hasSuffix(";") { try take(line, into: &module, path: path) } else { statement = line }
            } else if line.hasPrefix("export ") {
                if line.hasPrefix("export {") && !line.hasSuffix(";") { statement = line; continue }
                try take(line, into: &module, path: path)
            } else {
                module.lines.append(.code(line))
            }
        }
        if statement != nil { throw refuse("an import or export statement does not end with ;") }
        return module
    }

    /// One top-level `import …;` or `export …` line (a multi-line import arrives joined into one).
    private static func take(_ line: String, into module: inout Module, path: String) throws {
        func refuse(_ reason: String) -> Refusal { Refusal(module: path, reason: "\(reason): \(line.prefix(80))") }
        if line.hasPrefix("import") {
            let (clause, specifier) = try importParts(line, refuse: refuse)
            let dependency = try resolve(specifier, from: path, refuse: refuse)
            module.dependencies.append(dependency)
            module.lines.append(.imports(try bindings(clause, refuse: refuse), from: dependency))
            return
        }
        var rest = String(line.dropFirst("export ".count))
        if rest.hasPrefix("default ") {
            rest = String(rest.dropFirst("default ".count))
            if let name = declaredName(rest, keywords: ["function ", "async function ", "class "]) {
                module.lines.append(.code(rest))
                module.exports.append(("default", name))
            } else {
                module.lines.append(.code("const $default = " + rest))
                module.exports.append(("default", "$default"))
            }
            return
        }
        if rest.hasPrefix("{") {
            guard let close = rest.firstIndex(of: "}"),
                rest[rest.index(after: close)...].trimmingCharacters(in: .whitespaces) == ";"
            else { throw refuse("only `export { a, b as c };` lists are joined") }
            for item in rest[rest.index(after: rest.startIndex)..<close].split(separator: ",") {
                let words = item.split(separator: " ").map(String.init)
                switch words.count {
                case 1: module.exports.append((words[0], words[0]))
                case 3 where words[1] == "as": module.exports.append((words[2], words[0]))
                default: throw refuse("cannot read the export list")
                }
            }
            return
        }
        if rest.hasPrefix("let ") || rest.hasPrefix("var ") {
            throw refuse("`export let`/`var` is not a fixed binding")
        }
        guard
            let name = declaredName(rest, keywords: ["function* ", "function ", "async function ", "const ", "class "])
        else {
            throw refuse("not an export this bundler reads")
        }
        module.lines.append(.code(rest))
        module.exports.append((name, name))
    }

    /// "import CLAUSE from 'specifier';" or "import 'specifier';".
    private static func importParts(_ line: String, refuse: (String) -> Refusal) throws -> (
        clause: String, specifier: String
    ) {
        guard let quote = line.firstIndex(where: { $0 == "'" || $0 == "\"" }),
            let end = line[line.index(after: quote)...].firstIndex(of: line[quote])
        else { throw refuse("no module path") }
        guard line[line.index(after: end)...].trimmingCharacters(in: .whitespaces) == ";" else {
            throw refuse("the import does not end with ; after its path")
        }
        let specifier = String(line[line.index(after: quote)..<end])
        let head = line[line.index(line.startIndex, offsetBy: "import".count)..<quote].trimmingCharacters(
            in: .whitespaces)
        if head.isEmpty { return ("", specifier) }
        guard head.hasSuffix(" from") || head.hasSuffix("}from") else { throw refuse("cannot read the import") }
        return (String(head.dropLast("from".count)).trimmingCharacters(in: .whitespaces), specifier)
    }

    private static func bindings(_ clause: String, refuse: (String) -> Refusal) throws -> [Binding] {
        if clause.isEmpty { return [] }
        if clause.hasPrefix("* as ") { return [.namespace(local: String(clause.dropFirst("* as ".count)))] }
        var result: [Binding] = []
        var named = clause
        if !clause.hasPrefix("{") {
            let parts = clause.split(separator: ",", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            result.append(.named(exported: "default", local: parts[0]))
            guard parts.count == 2 else { return result }
            named = parts[1]
        }
        guard named.hasPrefix("{"), named.hasSuffix("}") else { throw refuse("cannot read the imported names") }
        for item in named.dropFirst().dropLast().split(separator: ",") {
            let words = item.split(separator: " ").map(String.init)
            switch words.count {
            case 0: continue
            case 1: result.append(.named(exported: words[0], local: words[0]))
            case 3 where words[1] == "as": result.append(.named(exported: words[0], local: words[2]))
            default: throw refuse("cannot read the imported names")
            }
        }
        return result
    }

    /// "./x.js" from "js/a/b.js" → "js/a/x.js"; "../y.js" → "js/y.js". Only relative paths inside the public
    /// directory.
    private static func resolve(_ specifier: String, from path: String, refuse: (String) -> Refusal) throws -> String {
        guard specifier.hasPrefix("./") || specifier.hasPrefix("../") else {
            throw refuse("only relative imports are joined")
        }
        var parts = path.split(separator: "/").dropLast().map(String.init)
        for part in specifier.split(separator: "/") {
            switch part {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { throw refuse("the import leaves the public directory") }
                parts.removeLast()
            default: parts.append(String(part))
            }
        }
        return parts.joined(separator: "/")
    }

    /// The name a declaration introduces: "function byId(" → "byId".
    private static func declaredName(_ declaration: String, keywords: [String]) -> String? {
        guard let keyword = keywords.first(where: { declaration.hasPrefix($0) }) else { return nil }
        let name = declaration.dropFirst(keyword.count).prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "$" }
        return name.isEmpty ? nil : String(name)
    }
}
