import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
// @ts-expect-error -- plain .mjs script without type declarations
import { checkWorkspace, findImports } from "../check-deps.mjs";

interface Violation {
  package: string;
  kind: string;
  message: string;
  file?: string;
  line?: number;
}
const check = checkWorkspace as (root: string) => Violation[];

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "workspace");

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "check-deps-"));
  cpSync(FIXTURE, root, { recursive: true });
  // Fixture manifests are stored as package.json.fixture so that no workspace tool
  // (pnpm, turbo, changesets, typedoc) mistakes them for real packages.
  for (const dir of readdirSync(join(root, "packages"))) {
    renameSync(join(root, "packages", dir, "package.json.fixture"), join(root, "packages", dir, "package.json"));
  }
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function editJson(rel: string, edit: (pkg: Record<string, Record<string, string>>) => void) {
  const path = join(root, rel);
  const pkg = JSON.parse(readFileSync(path, "utf8"));
  edit(pkg);
  writeFileSync(path, JSON.stringify(pkg, null, 2));
}
function writeSrc(rel: string, text: string) {
  const path = join(root, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

describe("check-deps", () => {
  it("passes on the clean fixture workspace", () => {
    expect(check(root)).toEqual([]);
  });

  it("reports a forbidden declared edge mock-session -> bindings", () => {
    editJson("packages/mock-session/package.json", (pkg) => {
      pkg.dependencies!["@chrony/bindings"] = "workspace:^";
    });
    const v = check(root);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ package: "@chrony/mock-session", kind: "declared-edge" });
    expect(v[0]!.message).toContain("@chrony/mock-session -> @chrony/bindings");
    expect(v[0]!.message).toContain("Allowed edges of @chrony/mock-session: @chrony/protocol, @chrony/fields");
  });

  it("reports a third-party runtime dep in a package whose allowlist lacks it", () => {
    editJson("packages/fields/package.json", (pkg) => {
      pkg.peerDependencies = { "left-pad": "^1.0.0" };
    });
    const v = check(root);
    expect(v.map((x) => [x.package, x.kind])).toEqual([["@chrony/fields", "declared-edge"]]);
  });

  it("reports `import 'koffi'` in mock-session src (no native code there)", () => {
    writeSrc("packages/mock-session/src/native.ts", `// a comment: import "nothing"\nimport "koffi";\n`);
    const v = check(root);
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({
      package: "@chrony/mock-session",
      kind: "import-edge",
      file: "packages/mock-session/src/native.ts",
      line: 2,
    });
    expect(v[0]!.message).toContain("@chrony/mock-session -> koffi");
  });

  it("reports a type-only import of a forbidden package", () => {
    writeSrc("packages/fields/src/bad.ts", `import type { X } from "@chrony/bindings";\nexport type Y = X;\n`);
    const v = check(root);
    expect(v.map((x) => [x.package, x.kind])).toEqual([["@chrony/fields", "import-edge"]]);
  });

  it("reports deep imports: @chrony/x/src/... and relative paths escaping the package", () => {
    writeSrc(
      "packages/scenarios/src/deep.ts",
      [
        `import { a } from "@chrony/fields/src/reports.js";`,
        `import { b } from "../../mock-session/src/index.js";`,
        `export const c = await import("../../fields/src/index.js");`,
        `import { ok } from "./index.js";`,
        `export { a, b, ok };`,
      ].join("\n"),
    );
    const v = check(root);
    expect(v.every((x) => x.package === "@chrony/scenarios" && x.kind === "deep-import")).toBe(true);
    expect(v.map((x) => x.line)).toEqual([1, 2, 3]);
  });

  it("reports a package that has no entry in the allowed-edges table", () => {
    // (@chrony/mock-server has had an entry since it landed: use a name no table will have.)
    writeSrc("packages/not-in-table/package.json", JSON.stringify({ name: "@chrony/not-in-table" }));
    const v = check(root);
    expect(v.map((x) => [x.package, x.kind])).toEqual([["@chrony/not-in-table", "unknown-package"]]);
  });

  it("finds static, side-effect, re-export and dynamic imports", () => {
    const found = (findImports as (s: string) => { spec: string }[])(
      `import a from "a";\nimport { type B } from 'b';\nexport * from "c";\nimport "d";\nconst e = await import("e");\n/* import "f"; */\n`,
    ).map((x) => x.spec);
    expect(found.sort()).toEqual(["a", "b", "c", "d", "e"]);
  });
});
