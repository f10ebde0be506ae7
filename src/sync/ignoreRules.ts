// Which files of the workspace stay home: the .gitignore files as git reads them (the `ignore`
// package, nested files included: a deeper .gitignore overrides a higher one, `!` re-includes), then
// the user's `fal.sync.exclude` (gitignore syntax, read last so nothing re-includes what the user
// excluded). Pure: the walker feeds it the .gitignore texts it finds.
import ignore, { type Ignore } from 'ignore';
import { inStaging } from './remoteShell';

interface ScopedRules {
  /** The folder the .gitignore lives in, relative to the root ('' for the root), with a trailing '/'. */
  readonly prefix: string;
  readonly rules: Ignore;
}

export class IgnoreRules {
  private readonly scoped: ScopedRules[] = [];
  private readonly exclude: Ignore;

  constructor(exclude: readonly string[] = []) {
    this.exclude = ignore({ allowRelativePaths: true }).add([...exclude]);
  }

  /** Adds the .gitignore found in `folder` (relative to the root, '' for the root itself). */
  addGitignore(folder: string, text: string): void {
    this.scoped.push({ prefix: folder === '' ? '' : `${folder}/`, rules: ignore().add(text) });
    // Shallower rules first, so the deepest matching file decides, as in git.
    this.scoped.sort((a, b) => a.prefix.split('/').length - b.prefix.split('/').length);
  }

  /**
   * Whether `path` (relative to the root, '/'-separated) stays home. The walker asks for a folder
   * before entering it: like git, a file inside an ignored folder cannot be re-included.
   */
  ignores(path: string, isDirectory: boolean): boolean {
    // Never uploaded, whatever the rules say: git's own store and our staging folders.
    if (path.split('/')[0] === '.git' || inStaging(path)) return true;
    const asked = isDirectory ? `${path}/` : path;
    let ignored = false;
    for (const { prefix, rules } of this.scoped) {
      if (!asked.startsWith(prefix)) continue;
      const verdict = rules.test(asked.slice(prefix.length));
      if (verdict.ignored) ignored = true;
      else if (verdict.unignored) ignored = false;
    }
    return ignored || this.exclude.ignores(asked);
  }
}
