import { readFile } from "node:fs/promises";
import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Document, type Node } from "yaml";
import type { z } from "zod";
import { ConfigError } from "../model/index.js";
import { describeFsError } from "./fs-reason.js";
import { explainIssue } from "./explain-issue.js";

/** A parsed YAML file that can still say where a key path stands in the text. */
export interface YamlFile {
  readonly path: string;
  readonly data: unknown;
  /**
   * `:line:column` of the key at the end of `keyPath` (its key, not its value: that is what the
   * administrator looks for); of the deepest parent that exists when the key is missing.
   */
  locate(keyPath: readonly PropertyKey[]): string;
}

/** Reads the config file itself (a file a key names is read through path-keys.ts, which names the key). */
export async function readYamlFile(path: string): Promise<YamlFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError("CONFIG_UNREADABLE", `${path}: cannot read the file (${describeFsError(error)})`, {
      cause: error,
    });
  }
  return parseYaml(path, text);
}

export function parseYaml(path: string, text: string): YamlFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const firstError = document.errors[0];
  if (firstError) {
    const { line, col } = lineCounter.linePos(firstError.pos[0]);
    throw new ConfigError("CONFIG_YAML", `${path}:${line}:${col}: invalid YAML: ${firstError.message.split("\n")[0]}`);
  }
  let data: unknown;
  try {
    // Aliases resolve here: an alias to a missing anchor, or too many (a "billion laughs" file), throw.
    data = document.toJS();
  } catch (error) {
    throw new ConfigError(
      "CONFIG_YAML",
      `${path}: invalid YAML: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return { path, data, locate: (keyPath) => locate(document, lineCounter, keyPath) };
}

function locate(document: Document, lineCounter: LineCounter, keyPath: readonly PropertyKey[]): string {
  const at = (offset: number): string => {
    const { line, col } = lineCounter.linePos(offset);
    return `:${line}:${col}`;
  };
  let node: unknown = document.contents;
  let found = isMap(node) || isSeq(node) ? ":1:1" : "";
  for (const segment of keyPath) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      const start = rangeStart(pair.key) ?? rangeStart(pair.value);
      if (start !== undefined) found = at(start);
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item: unknown = node.items[segment];
      const start = rangeStart(item);
      if (start === undefined) break;
      found = at(start);
      node = item;
    } else {
      break;
    }
  }
  return found;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Partial<Node> | null | undefined)?.range;
  return Array.isArray(range) ? Number(range[0]) : undefined;
}

/**
 * Validates parsed YAML. Every problem is reported at once, one line each:
 * `<file>:<line>:<column>: <key path>: <what was expected, and the fix>`.
 */
export function validateYaml<T extends z.ZodType>(file: YamlFile, schema: T): z.output<T> {
  const result = schema.safeParse(file.data);
  if (result.success) return result.data;
  const lines = result.error.issues.flatMap((issue) =>
    explainIssue(issue, schema, file.data).map(
      ({ path, at, message }) => `${file.path}${file.locate(at ?? path)}: ${keyPathText(path)}: ${message}`,
    ),
  );
  throw new ConfigError("CONFIG_INVALID", lines.join("\n"));
}

export function keyPathText(path: readonly PropertyKey[]): string {
  return path.length > 0 ? path.map(String).join(".") : "(top level)";
}
