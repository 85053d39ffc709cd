import path from 'node:path';

/** .dockerignore as a test: whether a path of the context is left out of it. */
export function dockerIgnore(text: string | undefined): (file: string) => boolean {
  const rules = (text ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const negate = l.startsWith('!');
      const glob = path.posix.normalize(l.replace(/^!/, '').replace(/^\/+|\/+$/g, ''));
      const source = glob
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        // `**/` stands for any number of folders, so it is set aside before `*` becomes "within one folder"
        .replace(/\*\*\//g, '\u0000')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')
        .replace(/\u0000/g, '(?:.*/)?');
      return { negate, re: new RegExp(`^${source}(?:/.*)?$`) };
    });
  // the last rule that matches decides, as in Docker
  return (file) => rules.reduce((ignored, r) => (r.re.test(path.posix.normalize(file)) ? !r.negate : ignored), false);
}
