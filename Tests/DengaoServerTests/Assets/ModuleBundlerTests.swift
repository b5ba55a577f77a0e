import Testing

@testable import DengaoServer

/// Joining a page's modules: every import and export form Public/js uses, the order modules run in, and a refusal
/// (never a broken bundle) for whatever the bundler does not read.
@Suite struct ModuleBundlerTests {
    static let sources = [
        "js/page.js": """
        // The page.
        import { helper, limit as most } from './shared.js';
        import * as library from './lib/tools.js';
        import {
          late,
        } from './late.js';

        export function run() {
          // an indented comment
          return helper() + most + library.half + late;
        }
        run();
        """,
        "js/shared.js": """
        export function helper() { return 1; }
        export const limit = 2;
        const hidden = 3;
        export { hidden as visible };
        export default {
          name: 'shared',
        };
        """,
        "js/lib/tools.js": """
        import shared, { limit } from '../shared.js';
        export const half = limit / 2 + shared.name.length;
        """,
        "js/late.js": "export const late = 4;\n",
    ]

    @Test func modulesRunOnceEachAfterWhatTheyImport() throws {
        let bundler = ModuleBundler(sources: Self.sources)
        #expect(
            try bundler.dependencyOrder(from: "js/page.js") == [
                "js/shared.js", "js/lib/tools.js", "js/late.js", "js/page.js",
            ])
        let bundle = try bundler.bundle(entry: "js/page.js")
        for line in [
            "const $m0 = (() => {", "return { helper, limit, visible: hidden, default: $default };",
            "const $default = {", "const shared = $m0.default;", "const limit = $m0.limit;",
            "return { half };", "const helper = $m0.helper;", "const most = $m0.limit;", "const library = $m1;",
            "const late = $m2.late;", "function run() {", "return { run };",
        ] {
            #expect(bundle.contains(line + "\n"), "the bundle lacks \(line)\n\(bundle)")
        }
        #expect(!bundle.contains("import "))
        #expect(!bundle.contains("export "))
        #expect(!bundle.contains("an indented comment"))
        #expect(bundle.components(separatedBy: "})();").count == 5)
    }

    @Test func whatItDoesNotReadIsRefusedNotGuessed() {
        let refused: [(String, String)] = [
            ("export let count = 0;\n", "`export let`"),
            ("export * from './other.js';\n", "not an export"),
            ("export const { a, b } = object;\n", "not an export"),
            ("const base = import.meta.url;\n", "import.meta"),
            ("import { x } from '/js/absolute.js';\n", "relative"),
            ("import { x } from './missing.js';\n", "no such module"),
            ("import { x } from '../../outside.js';\n", "leaves the public directory"),
            ("import { x,\n  y } from './shared.js'\nconst z = 1;\n", "does not end with ;"),
            ("const data = await fetch('/x');\n", "top-level await"),
        ]
        for (source, reason) in refused {
            let bundler = ModuleBundler(sources: ["js/page.js": source, "js/shared.js": "export const x = 1;\n"])
            #expect(throws: ModuleBundler.Refusal.self, "\(source)") { try bundler.bundle(entry: "js/page.js") }
            do {
                _ = try bundler.bundle(entry: "js/page.js")
            } catch {
                #expect("\(error)".contains(reason), "\(error) should say \(reason)")
            }
        }
        let cycle = ModuleBundler(sources: [
            "js/a.js": "import { b } from './b.js';\nexport const a = 1;\n",
            "js/b.js": "import { a } from './a.js';\nexport const b = 2;\n",
        ])
        #expect(
            throws: ModuleBundler.Refusal(
                module: "js/a.js", reason: "imports form a cycle: js/a.js → js/b.js → js/a.js")
        ) {
            try cycle.bundle(entry: "js/a.js")
        }
    }

    @Test func templateLiteralsAreKeptAsWritten() throws {
        let source = "export const text = `first\n// not a comment\nimport nothing;\nlast`;\n"
        let bundle = try ModuleBundler(sources: ["js/t.js": source]).bundle(entry: "js/t.js")
        #expect(bundle.contains("const text = `first\n// not a comment\nimport nothing;\nlast`;\n"))
    }
}
