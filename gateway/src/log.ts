/** Structured logging: one JSON object per line (time, level, event, then event fields). */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEntry {
  time: string;
  level: LogLevel;
  event: string;
  [field: string]: unknown;
}

/** 'info' / 'debug' print JSON lines to stdout from that level up; 'silent' drops everything; a function receives every entry. */
export type LogOption = 'debug' | 'info' | 'warn' | 'silent' | ((entry: LogEntry) => void);

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every entry. */
  child(fields: LogFields): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function serializeError(error: unknown): unknown {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return error;
}

export function createLogger(option: LogOption = 'info', write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  const sink: ((entry: LogEntry) => void) | undefined =
    typeof option === 'function'
      ? option
      : option === 'silent'
        ? undefined
        : (entry) => {
            if (RANK[entry.level] >= RANK[option]) write(JSON.stringify(entry));
          };

  function make(base: LogFields): Logger {
    const emit = (level: LogLevel, event: string, fields?: LogFields): void => {
      if (!sink) return;
      const entry: LogEntry = { time: new Date().toISOString(), level, event, ...base };
      for (const [key, value] of Object.entries(fields ?? {})) {
        if (value !== undefined) entry[key] = key === 'error' ? serializeError(value) : value;
      }
      try {
        sink(entry);
      } catch {
        // A broken log sink must never take the gateway down.
      }
    };
    return {
      debug: (event, fields) => emit('debug', event, fields),
      info: (event, fields) => emit('info', event, fields),
      warn: (event, fields) => emit('warn', event, fields),
      error: (event, fields) => emit('error', event, fields),
      child: (fields) => make({ ...base, ...fields }),
    };
  }
  return make({});
}
