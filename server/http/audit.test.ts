import { describe, expect, it } from 'vitest';
import { csvCell } from './audit';

describe('csvCell', () => {
  it('writes as text every cell a spreadsheet could read as a formula', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r', '\n', ' ', '\u00a0', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']) {
      const cell = csvCell(`${start}SUM(A1)`);
      expect(cell, JSON.stringify(start)).toBe(`"'${start}SUM(A1)"`);
    }
  });

  it('leaves ordinary text as it is, quoted, with quotes doubled', () => {
    expect(csvCell('Checked by "Bob"')).toBe('"Checked by ""Bob"""');
    expect(csvCell(undefined)).toBe('""');
    expect(csvCell({ page: 2 })).toBe('"{""page"":2}"');
  });
});
