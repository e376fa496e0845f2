// What every repository shares: the connection, the project file's name (for error
// messages), a cache of prepared statements, and the clock.

import type Database from 'better-sqlite3';
import { SentiscopeError } from '../../shared/errors';
import type { Db } from './connection';

export type Statement = Database.Statement;

export class StoreContext {
  private readonly statements = new Map<string, Statement>();

  constructor(
    readonly db: Db,
    readonly file: string,
  ) {}

  /** A prepared statement, compiled once per connection. */
  stmt(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs fn in a transaction; inside another transaction it becomes a savepoint. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  now(): string {
    return new Date().toISOString();
  }

  notFound(what: string, id: number | string): SentiscopeError {
    return new SentiscopeError(
      'not-found',
      `${what} ${id} does not exist in ${this.file}; it may have been deleted, reload the project`,
      this.file,
    );
  }

  badInput(message: string): SentiscopeError {
    return new SentiscopeError('bad-request', `${message} (project ${this.file})`, this.file);
  }
}
