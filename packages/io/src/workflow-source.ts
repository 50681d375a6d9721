/**
 * Tie probe and plan files to their source matrix (docs/DESIGN.md §3.2): its sha256, and ids → indices.
 */
import { type CorrectnessMatrix, sourceRef, TbError } from "@tb/core";
import { idLine, keyLine, loc, show } from "./internal.js";
import type { SourceRef } from "./workflow-types.js";

export { matrixSha256, sourceRef } from "@tb/core";

/**
 * Refuse a probe or plan made for another source matrix (docs/DESIGN.md §3.2): `E_INPUT` naming the file
 * and the line of its `sha256` when the hash (or the size) differs.
 *
 * @param ref - The `source` of the probe or plan.
 * @param matrix - The matrix given now.
 * @param file - The probe or plan file, for the message.
 * @param text - Its text, to locate the `sha256` key (optional).
 */
export function checkSource(ref: SourceRef, matrix: CorrectnessMatrix, file?: string, text?: string): void {
  const now = sourceRef(matrix);
  if (ref.sha256 !== now.sha256) {
    throw new TbError(
      "E_INPUT",
      `checkSource: ${file ?? "the file"} was made for another source matrix (sha256 ${ref.sha256.slice(0, 12)}…, ${ref.models} models × ${ref.examples} examples); ` +
        `the matrix given has sha256 ${now.sha256.slice(0, 12)}… (${now.models} × ${now.examples}). Pass the same matrix (argument matrix) as when the file was made`,
      loc(file, text === undefined ? undefined : keyLine(text, "sha256")),
    );
  }
}

/**
 * Example ids → column indices of `matrix`, refusing an id that is not a column
 * (`E_UNKNOWN_ID`, naming the file, the line of `field` and the id).
 *
 * @param ids - Example ids.
 * @param matrix - The source matrix.
 * @param field - The JSON key the ids came from, for the message.
 * @param file - File name for the location.
 * @param text - File text, to find the line of the id.
 */
export function resolveExampleIds(
  ids: readonly string[],
  matrix: CorrectnessMatrix,
  field: string,
  file?: string,
  text?: string,
): Int32Array {
  return resolveIds(ids, matrix.exampleIds, "example", "is not a column of the source matrix", field, file, text);
}

/**
 * Model ids → row indices of `matrix` (`E_UNKNOWN_ID` with the file and line for an unknown id).
 *
 * @param ids - Model ids.
 * @param matrix - The source matrix.
 * @param field - The JSON key the ids came from, for the message.
 * @param file - File name for the location.
 * @param text - File text, to find the line of the id.
 */
export function resolveModelIds(
  ids: readonly string[],
  matrix: CorrectnessMatrix,
  field: string,
  file?: string,
  text?: string,
): Int32Array {
  return resolveIds(ids, matrix.modelIds, "model", "is not a row of the source matrix", field, file, text);
}

/** Shared body of {@link resolveExampleIds} and {@link resolveModelIds}. */
function resolveIds(
  ids: readonly string[],
  known: readonly string[],
  what: string,
  missing: string,
  field: string,
  file?: string,
  text?: string,
): Int32Array {
  const map = indexOf(known);
  const out = new Int32Array(ids.length);
  ids.forEach((id, k) => {
    const j = map.get(id);
    if (j === undefined) {
      throw new TbError(
        "E_UNKNOWN_ID",
        `${field}[${k}]: ${what} id ${show(id)} ${missing}`,
        loc(file, text === undefined ? undefined : idLine(text, field, id)),
      );
    }
    out[k] = j;
  });
  return out;
}

function indexOf(ids: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  ids.forEach((id, i) => {
    m.set(id, i);
  });
  return m;
}
