/**
 * Why the file system refused a path, in a few words after the code ("ENOENT: no such file"):
 * the code is what people search for, the words are what they read. Node's own messages are
 * not used because they repeat the path, which our messages already give once.
 */
const REASONS = {
  ENOENT: "no such file",
  EISDIR: "is a directory",
  ENOTDIR: "a parent is not a directory",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "name too long",
  EMFILE: "too many open files",
  // Node refuses a path with a NUL byte before asking the system.
  ERR_INVALID_ARG_VALUE: "not a valid path",
} as const;

type FsCode = keyof typeof REASONS;
const WORDS: ReadonlyMap<string, string> = new Map(Object.entries(REASONS));

export function describeFsError(error: unknown): string {
  const code = error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;
  if (code === undefined) return error instanceof Error ? error.message : String(error);
  const words = WORDS.get(code);
  return words === undefined ? code : `${code}: ${words}`;
}

/** An error with a file-system code, for refusals found by looking (a directory where a file belongs). */
export function fsError(code: FsCode): Error {
  return Object.assign(new Error(code), { code });
}
