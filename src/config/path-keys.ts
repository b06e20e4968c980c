import { access, constants, open, readFile, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { ConfigError } from "../model/index.js";
import { describeFsError, fsError } from "./fs-reason.js";
import type { YamlFile } from "./read-yaml.js";

/**
 * Keys whose value is a path (the mappings file, secret files, the client certificate, the
 * token file, the state file, the provisioning log). A bad path is reported like a bad value,
 * `<config file>:<line>:<column>: <key>: <path>: cannot read the file (ENOENT: no such file)`, because
 * the path alone says what is missing but not which line of which file to fix.
 */
export interface KeySite {
  readonly file: YamlFile;
  readonly keyPath: readonly (string | number)[];
}

export function keySite(file: YamlFile, ...keyPath: readonly (string | number)[]): KeySite {
  return { file, keyPath };
}

export function childSite(site: KeySite, key: string | number): KeySite {
  return { file: site.file, keyPath: [...site.keyPath, key] };
}

/** `config.yaml:12:5: klaxoon.secretToken.file`: how every message about a key begins, as schema errors do. */
export function describeKeySite(site: KeySite): string {
  return `${site.file.path}${site.file.locate(site.keyPath)}: ${site.keyPath.join(".")}`;
}

/** Reads a file the config names and the agent needs now. */
export async function readKeyFile(site: KeySite, path: string, code = "CONFIG_UNREADABLE"): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw keyPathError(code, site, path, "cannot read the file", error);
  }
}

/** A file a library reads later (a certificate, a token): refused at load if it could not be read then. */
export async function checkReadableKeyFile(site: KeySite, path: string): Promise<string> {
  try {
    // Opening a directory for reading succeeds on Linux; only reading it fails.
    const handle = await open(path, "r");
    try {
      if ((await handle.stat()).isDirectory()) throw fsError("EISDIR");
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw keyPathError("CONFIG_UNREADABLE", site, path, "cannot read the file", error);
  }
  return path;
}

/**
 * A file the agent writes later. A directory in its place is always a mistake in the config.
 * For a writer that creates missing directories (the state file) that is all we check: a
 * parent that is missing, a file or unwritable is an operational fault it reports itself,
 * and the daemon retries and quarantines, as for an endpoint that is down. A writer that does
 * not (the provisioning log's stream) would fail mid-cycle, so its directory must exist and
 * take writes now.
 */
export async function checkWritableKeyPath(
  site: KeySite,
  path: string,
  writer: { readonly createsDirectories: boolean },
): Promise<string> {
  try {
    const existing = await stat(path).catch((error: unknown) => {
      if (writer.createsDirectories || isCode(error, "ENOENT")) return null;
      throw error;
    });
    if (existing?.isDirectory()) throw fsError("EISDIR");
    if (writer.createsDirectories) return path;
    if (existing) {
      await access(path, constants.W_OK);
    } else {
      if (!(await stat(dirname(path))).isDirectory()) throw fsError("ENOTDIR");
      await access(dirname(path), constants.W_OK);
    }
  } catch (error) {
    throw keyPathError("CONFIG_UNWRITABLE", site, path, "cannot write the file", error);
  }
  return path;
}

function keyPathError(code: string, site: KeySite, path: string, action: string, error: unknown): ConfigError {
  return new ConfigError(code, `${describeKeySite(site)}: ${path}: ${action} (${describeFsError(error)})`, {
    cause: error,
  });
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && "code" in error && error.code === code;
}
