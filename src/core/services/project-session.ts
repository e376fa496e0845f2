// The project a shell currently has open. One SQLite file is one project.

import { resolve } from 'node:path';
import { SentiscopeError } from '../../shared/errors';
import type { CombineReport, OpenProject } from '../../shared/contract';
import { ProjectStore } from '../store';
import { combineProjects } from './project-combine';

export class ProjectSession {
  private store: ProjectStore | null = null;

  open(path: string): OpenProject {
    const next = ProjectStore.open(resolve(path));
    this.store?.close();
    this.store = next;
    return this.current()!;
  }

  current(): OpenProject | null {
    return this.store ? { path: this.store.path, project: this.store.project() } : null;
  }

  /** The open store, or an error telling the user to open a project first. */
  require(): ProjectStore {
    if (!this.store) {
      throw new SentiscopeError('no-project', 'No project is open: open or create a project file first.');
    }
    return this.store;
  }

  /**
   * Combines annotators' projects into the open one. The combine writes a copy and renames
   * it into place, which needs the file closed (its log checkpointed), so the project is
   * closed for it and opened again, whatever the outcome.
   */
  combineInto(sources: string[]): CombineReport {
    const path = this.require().path;
    this.close();
    try {
      return combineProjects({ into: path, sources });
    } finally {
      this.open(path);
    }
  }

  close(): void {
    this.store?.close();
    this.store = null;
  }
}
