/**
 * Errors that are the reader's to act on — a bad setting, a damaged file, a busy run folder: the message
 * names what is wrong and what to do, so it is all they show. A stack trace (or the error's fields) under
 * it, in a notebook cell or a terminal, would only bury it.
 */
export class ReaderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
    this.stack = `${this.name}: ${message}`;
  }
}

/** Keep `fields` on `error` for code to read, without showing them when the error is printed. */
export function hideFields<T extends Error>(error: T, fields: Partial<T>): void {
  for (const [key, value] of Object.entries(fields))
    Object.defineProperty(error, key, { value, enumerable: false });
}

/**
 * Something is wrong with a file the reader gave or the project found: the message names the file, the
 * problem and, when there is one, what to do. Subclasses say which kind of file (dataset, photo).
 */
export class FileProblemError extends ReaderError {
  declare readonly file: string;
  declare readonly problem: string;
  declare readonly advice?: string;

  constructor(file: string, problem: string, advice?: string) {
    super(`${file}: ${problem}${advice ? ` — ${advice}` : ""}`);
    hideFields<FileProblemError>(this, { file, problem, advice });
  }
}
