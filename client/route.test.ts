import { describe, expect, it } from 'vitest';
import { parseRoute, worldHash } from './route';

describe('routes', () => {
  it('reads the lobby from an empty or unknown hash', () => {
    expect(parseRoute('')).toEqual({ page: 'lobby' });
    expect(parseRoute('#')).toEqual({ page: 'lobby' });
    expect(parseRoute('#/somewhere')).toEqual({ page: 'lobby' });
  });

  it('reads a world link and round-trips it', () => {
    expect(parseRoute('#/w/abc123')).toEqual({ page: 'world', worldId: 'abc123' });
    expect(parseRoute(worldHash('x_y-z'))).toEqual({ page: 'world', worldId: 'x_y-z' });
  });

  it('reads the dashboard', () => {
    expect(parseRoute('#/dashboard')).toEqual({ page: 'dashboard' });
    expect(parseRoute('#/dashboard?range=7d')).toEqual({ page: 'dashboard' });
    expect(parseRoute('#/dashboards')).toEqual({ page: 'lobby' });
  });

  it('marks a world link with an impossible id as bad', () => {
    expect(parseRoute('#/w/%3Cscript%3E')).toEqual({ page: 'bad-link' });
    expect(parseRoute('#/w/%E0%A4%A')).toEqual({ page: 'bad-link' });
  });
});

describe('invite links', () => {
  it('reads the invite token of a world link, and ignores one that is not an invite token', () => {
    expect(parseRoute('#/w/abc123?invite=inv_0123456789abcdef_Zz-_9')).toEqual({ page: 'world', worldId: 'abc123', invite: 'inv_0123456789abcdef_Zz-_9' });
    expect(parseRoute('#/w/abc123?invite=<script>')).toEqual({ page: 'world', worldId: 'abc123' });
    expect(parseRoute('#/w/abc123?x=1&invite=inv_a')).toEqual({ page: 'world', worldId: 'abc123', invite: 'inv_a' });
  });
});
