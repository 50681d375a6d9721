/**
 * A first look at a correctness CSV before any work: how many models (rows) and examples
 * (columns) it holds, and whether it looks transposed. Cheap (lines and the header only), so the
 * page can show "N models × M examples" as soon as a file is chosen.
 */

export interface CsvShape {
  /** Data rows (models). */
  models: number;
  /** Header cells after the first (examples). */
  examples: number;
  /** The header's first cell (`model` in a correctness CSV). */
  firstCell: string;
  /**
   * More models than examples: legitimate for a small benchmark on a large leaderboard, and what a
   * transposed matrix (examples as rows) looks like; the page asks the user to confirm.
   */
  moreModelsThanExamples: boolean;
  /** Every row name is a plain integer (as example ids often are), and some column name is not. */
  rowsLookLikeExamples: boolean;
}

function firstField(line: string): string {
  if (line.startsWith('"')) {
    const end = line.indexOf('"', 1);
    return end > 0 ? line.slice(1, end) : line.slice(1);
  }
  const c = line.indexOf(",");
  return (c < 0 ? line : line.slice(0, c)).trim();
}

/** The fields of one CSV line, RFC 4180 quoting (`"a,b"` is one field, `""` a quote inside one). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      out.push(cur);
      cur = "";
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** The shape of a correctness CSV's text (no cell is parsed; the parser checks them later). */
export function csvShape(text: string): CsvShape {
  const body = text.replace(/^\uFEFF/, "");
  const lines = body.split(/\r?\n/).filter((l) => l.trim().length > 0);
  // column ids may hold commas inside quotes: the header is split as a CSV line, not at every comma
  const header = csvFields(lines[0] ?? "");
  const rows = lines.slice(1).map(firstField);
  const cols = header.slice(1).map((h) => h.trim());
  const models = rows.length;
  const examples = cols.length;
  const int = (s: string) => /^\d+$/.test(s);
  return {
    models,
    examples,
    firstCell: firstField(lines[0] ?? ""),
    moreModelsThanExamples: models > examples,
    rowsLookLikeExamples: models > 0 && rows.every(int) && cols.some((c) => !int(c)),
  };
}

/** Most cells a matrix may have on this page (8 bytes each: 400 MB). */
export const MAX_CELLS = 50_000_000;

/**
 * Refuse a synthetic population too large for the page, naming the fields, before any typed
 * array is allocated (instead of the engine's "Invalid typed array length").
 */
export function checkSyntheticSize(models: number, examples: number): void {
  const cells = models * examples;
  if (cells > MAX_CELLS) {
    throw new Error(
      `synthetic population: models × examples = ${models} × ${examples} = ${cells.toExponential(2)} cells, more than the ${MAX_CELLS.toLocaleString("en")} this page can hold; use fewer models or examples`,
    );
  }
}
