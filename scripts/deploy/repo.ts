import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The checkout as the checks see it; tests lay changed files over the real one. */
export interface Repo {
  root: string;
  read(file: string): string | undefined;
  exists(file: string): boolean;
}

export function diskRepo(root: string): Repo {
  return {
    root,
    read: (file) => (existsSync(path.join(root, file)) && statSync(path.join(root, file)).isFile() ? readFileSync(path.join(root, file), 'utf8') : undefined),
    exists: (file) => existsSync(path.join(root, file)),
  };
}
