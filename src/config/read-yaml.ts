import { readFile } from "node:fs/promises";
import { LineCounter, parseDocument, isMap, isSeq, type Document } from "yaml";
import type { z } from "zod";
import { ConfigError } from "../model/index.js";
import { describeFsError } from "./fs-reason.js";

/** A parsed YAML file that can still say where a key path stands in the text. */
export interface YamlFile {
  readonly path: string;
  readonly data: unknown;
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
  // Walk down as far as the path exists: a missing key is reported at its parent's line.
  let depth = keyPath.length;
  while (depth > 0) {
    const node: unknown = document.getIn(keyPath.slice(0, depth), true);
    if (node && typeof node === "object" && "range" in node && Array.isArray(node.range)) {
      const { line } = lineCounter.linePos(Number(node.range[0]));
      return `:${line}`;
    }
    depth -= 1;
  }
  return isMap(document.contents) || isSeq(document.contents) ? ":1" : "";
}

/** Validates parsed YAML; every issue names the file, line, key path and what was expected. */
export function validateYaml<T extends z.ZodType>(file: YamlFile, schema: T): z.output<T> {
  const result = schema.safeParse(file.data);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const keyPath = issue.path.length > 0 ? issue.path.map(String).join(".") : "(top level)";
    return `${file.path}${file.locate(issue.path)}: ${keyPath}: ${issue.message}`;
  });
  throw new ConfigError("CONFIG_INVALID", lines.join("\n"));
}
