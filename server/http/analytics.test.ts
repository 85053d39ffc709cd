import { describe, expect, it } from 'vitest';
import { csvField } from './analytics';

describe('CSV report fields', () => {
  it('INSIGHTS-3: quotes what needs quoting and writes formulas as plain text', () => {
    expect(csvField('device=vr')).toBe('device=vr');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('@sum')).toBe("'@sum");
    expect(csvField(-2.5)).toBe('-2.5');
    expect(csvField(Number.NaN)).toBe('');
  });
});
