/**
 * Error classes, each carrying the exit code the CLI maps it to.
 * Only src/cli.ts turns these into an exit status; everything else just throws.
 */

/** Exit codes, documented in README and `papers --help`. */
export const ExitCode = {
  Ok: 0,
  NoResults: 1,
  Usage: 2,
  Network: 3,
  Format: 4,
  Database: 5,
  /** A bug (EX_SOFTWARE): an error the program did not expect. */
  Internal: 70,
  Output: 74,
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Base class of every error the tool expects; its message is printed as one line. */
export class PapersError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad flags or arguments (exit 2). */
export class UsageError extends PapersError {
  constructor(message: string) {
    super(message, ExitCode.Usage);
  }
}

/** An input file that cannot be read as any supported format (exit 2). */
export class InputError extends PapersError {
  constructor(message: string) {
    super(message, ExitCode.Usage);
  }
}

/** The command ran fine but nothing matched (exit 1), like grep. */
export class NoResultsError extends PapersError {
  constructor(message: string) {
    super(message, ExitCode.NoResults);
  }
}

/** Network failure or a remote error with nothing usable in the cache (exit 3). */
export class NetworkError extends PapersError {
  /** When the server asked us to come back (epoch ms), if it named a time we did not wait for. */
  retryAt: number | null = null;
  constructor(message: string) {
    super(message, ExitCode.Network);
  }
}

/** A command's time budget for the network ran out before an answer came (see NetworkError.retryAt). */
export class BudgetError extends NetworkError {
  constructor(
    message: string,
    readonly host: string,
    retryAt: number | null = null,
  ) {
    super(message);
    this.retryAt = retryAt;
  }
}

/** The time budget ran out while another papers process held arXiv's turn: a wait on a neighbour, not a failure of the host (exit 3). */
export class TurnTimeoutError extends NetworkError {}

/** A remote or saved page whose format changed or cannot be parsed (exit 4). */
export class FormatError extends PapersError {
  constructor(message: string) {
    super(message, ExitCode.Format);
  }
}

/** Database problems: locked, corrupt, read-only, newer schema (exit 5). */
export class DatabaseError extends PapersError {
  constructor(message: string) {
    super(message, ExitCode.Database);
  }
}

/** Output that could not be written: a full disk, a file size limit, an I/O error (exit 74, EX_IOERR). */
export class OutputError extends PapersError {
  constructor(message: string) {
    super(message, ExitCode.Output);
  }
}

/** SIGINT / SIGTERM while working (exit 130). */
export class InterruptedError extends PapersError {
  constructor(message = 'interrupted') {
    super(message, ExitCode.Interrupted);
  }
}
