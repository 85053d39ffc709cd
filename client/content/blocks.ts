/**
 * A document's text as a flat list of blocks with styled runs, ready for layout. Markdown is read
 * with `marked`'s lexer only: its tokens are turned into plain strings here and drawn on a canvas,
 * so nothing in a document can ever become markup.
 */
import { lexer, type Token, type Tokens } from 'marked';

/** A piece of text in one style. A run whose text is "\n" is a hard line break. */
export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
}

export const BlockKind = {
  HEADING: 'heading',
  PARAGRAPH: 'paragraph',
  ITEM: 'item',
  CODE: 'code',
  QUOTE: 'quote',
  RULE: 'rule',
} as const;
export type BlockKind = (typeof BlockKind)[keyof typeof BlockKind];

export interface Block {
  kind: BlockKind;
  /** Heading level (1..6), or nesting depth of a list item or quote (0 = top level). */
  level: number;
  /** List marker ("•", "3.") for items. */
  marker?: string;
  runs: Run[];
  /** Lines of plain text that follow each other without paragraph spacing. */
  tight?: boolean;
}

type Style = Pick<Run, 'bold' | 'italic' | 'code'>;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", nbsp: '\u00a0' };
/** The lexer leaves character references as typed; a reader expects to see the character. */
const decodeEntities = (s: string) => s.replace(/&(amp|lt|gt|quot|apos|#39|nbsp);/g, (_m, name: string) => ENTITIES[name] ?? _m);
// a tag cannot hold another '<', so each scan stops there and a page of '<' stays linear
const stripTags = (s: string) => s.replace(/<[^<>]*>/g, '');

function inline(tokens: Token[] | undefined, style: Style, out: Run[]): Run[] {
  for (const token of tokens ?? []) {
    const t = token as Tokens.Generic;
    switch (t.type) {
      case 'strong':
        inline(t.tokens, { ...style, bold: true }, out);
        break;
      case 'em':
        inline(t.tokens, { ...style, italic: true }, out);
        break;
      case 'codespan':
        out.push({ ...style, code: true, text: decodeEntities(String(t.text)) });
        break;
      case 'br':
        out.push({ text: '\n' });
        break;
      case 'html':
        // tags are dropped and any text between them kept; nothing is interpreted
        if (stripTags(String(t.text))) out.push({ ...style, text: decodeEntities(stripTags(String(t.text))) });
        break;
      case 'image':
        if (t.text) out.push({ ...style, italic: true, text: `[${String(t.text)}]` });
        break;
      default:
        // text, escape, link, del and anything unknown: their words, in the current style
        if (t.tokens?.length) inline(t.tokens, style, out);
        else if (typeof t.text === 'string') out.push({ ...style, text: decodeEntities(t.text.replace(/\n/g, ' ')) });
    }
  }
  return out;
}

function pushList(list: Tokens.List, depth: number, out: Block[]): void {
  const start = typeof list.start === 'number' ? list.start : 1;
  list.items.forEach((item, i) => {
    const marker = list.ordered ? `${start + i}.` : depth % 2 ? '◦' : '•';
    const runs: Run[] = [];
    const nested: Token[] = [];
    let hasText = false;
    for (const child of item.tokens) {
      if (child.type === 'checkbox') runs.push({ text: (child as Tokens.Checkbox).checked ? '☑ ' : '☐ ' });
      else if (child.type === 'text' || child.type === 'paragraph') {
        // a loose item's second paragraph starts on a line of its own
        if (hasText) runs.push({ text: '\n' });
        inline((child as Tokens.Text).tokens ?? [child], {}, runs);
        hasText = true;
      } else nested.push(child);
    }
    out.push({ kind: BlockKind.ITEM, level: depth, marker, runs });
    for (const child of nested) {
      if (child.type === 'list') pushList(child as Tokens.List, depth + 1, out);
      else blocksOf([child], depth + 1, out);
    }
  });
}

function blocksOf(tokens: Token[], depth: number, out: Block[]): Block[] {
  for (const token of tokens) {
    const t = token as Tokens.Generic;
    switch (t.type) {
      case 'heading':
        out.push({ kind: BlockKind.HEADING, level: Math.min(6, Math.max(1, (t as Tokens.Heading).depth)), runs: inline(t.tokens, { bold: true }, []) });
        break;
      case 'paragraph':
      case 'text':
        out.push({ kind: BlockKind.PARAGRAPH, level: depth, runs: inline(t.tokens ?? [t], {}, []) });
        break;
      case 'list':
        pushList(t as Tokens.List, depth, out);
        break;
      case 'code':
        out.push({ kind: BlockKind.CODE, level: depth, runs: [{ code: true, text: String(t.text) }] });
        break;
      case 'blockquote':
        for (const b of blocksOf(t.tokens ?? [], depth, [])) out.push(b.kind === BlockKind.PARAGRAPH ? { ...b, kind: BlockKind.QUOTE } : b);
        break;
      case 'hr':
        out.push({ kind: BlockKind.RULE, level: 0, runs: [] });
        break;
      case 'table': {
        const table = t as Tokens.Table;
        const row = (cells: Tokens.TableCell[], bold: boolean): Run[] =>
          cells.flatMap((c, i) => [...(i ? [{ text: '  |  ' }] : []), ...inline(c.tokens, { bold }, [])]);
        out.push({ kind: BlockKind.PARAGRAPH, level: depth, runs: row(table.header, true), tight: true });
        for (const r of table.rows) out.push({ kind: BlockKind.PARAGRAPH, level: depth, runs: row(r, false), tight: true });
        break;
      }
      case 'html': {
        const text = decodeEntities(stripTags(String(t.text))).trim();
        if (text) out.push({ kind: BlockKind.PARAGRAPH, level: depth, runs: [{ text }] });
        break;
      }
      default:
        // space, def and extensions add nothing visible
        break;
    }
  }
  return out;
}

/**
 * Blocks of a Markdown document. Markdown nested thousands deep (a line of '>') overflows the
 * lexer's stack; such a document is shown as the plain text it is rather than not at all.
 */
export function markdownBlocks(source: string): Block[] {
  try {
    return blocksOf(lexer(source), 0, []);
  } catch (err) {
    if (err instanceof RangeError) return textBlocks(source);
    throw err;
  }
}

/** Blocks of a plain text document: every line as written, blank lines as paragraph breaks. */
export function textBlocks(source: string): Block[] {
  const out: Block[] = [];
  let afterBlank = true;
  for (const line of source.replace(/\r\n?/g, '\n').split('\n')) {
    if (!line.trim()) {
      afterBlank = true;
      continue;
    }
    out.push({ kind: BlockKind.PARAGRAPH, level: 0, runs: [{ text: line.replace(/\t/g, '    ') }], tight: !afterBlank });
    afterBlank = false;
  }
  return out;
}
