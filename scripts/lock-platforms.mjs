// Completes package-lock.json with entries for optional platform packages the
// registry mirror does not serve (e.g. workerd's darwin/windows builds). npm
// omits them when it cannot resolve them, and then `npm ci` rejects the lock
// as out of sync. An entry with `os`/`cpu` lets npm skip them on Linux, as it
// would with the real metadata. Run after `npm install` changes the lock.
import { readFileSync, writeFileSync } from "node:fs";

const PLATFORM =
  /(darwin|linux|win32|windows|freebsd|android|openbsd|netbsd|sunos|aix)-(x64|arm64|64|ia32|arm|ppc64|s390x|riscv64|loong64|mips64el)$/;
const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const packages = lock.packages;
let added = 0;

for (const [path, meta] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    const m = PLATFORM.exec(name);
    if (!m) continue;
    const base = path === "" ? "node_modules" : `${path}/node_modules`;
    // npm resolves from the nearest node_modules upwards; any existing entry satisfies it.
    let dir = base;
    let found = false;
    for (;;) {
      if (packages[`${dir}/${name}`]) {
        found = true;
        break;
      }
      const up = dir.lastIndexOf("/node_modules", dir.length - "/node_modules".length - 1);
      if (up < 0) break;
      dir = dir.slice(0, up + "/node_modules".length);
    }
    if (found || packages[`node_modules/${name}`]) continue;
    const os = { windows: "win32" }[m[1]] ?? m[1];
    const cpu = { 64: "x64" }[m[2]] ?? m[2];
    packages[`${base}/${name}`] = { version, cpu: [cpu], dev: meta.dev ?? false, optional: true, os: [os] };
    if (!meta.dev) delete packages[`${base}/${name}`].dev;
    added++;
  }
}

writeFileSync("package-lock.json", `${JSON.stringify(lock, null, 2)}\n`);
console.log(`lock-platforms: added ${added} missing optional platform entries`);
