/**
 * How the scripts end: a failure prints its message (a reader's mistake needs no stack trace; a bug's
 * message still names it) and exits with status 1.
 */
export function runCommand(
  main: () => Promise<void>,
  /** Errors that have been shown already, e.g. an interrupted training's note. */
  alreadyShown: (error: unknown) => boolean = () => false,
): void {
  main().catch((error: unknown) => {
    if (!alreadyShown(error)) console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
