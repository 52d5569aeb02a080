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
