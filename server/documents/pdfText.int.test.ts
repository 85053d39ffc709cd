/**
 * Workflow steps and AI routes read PDFs by their text layer, on a booted server: an uploaded
 * multi-page PDF is analysed from its own words; an image fails its step once, with a message
 * saying what can be analysed, instead of being retried as if another attempt might help.
 */
import { describe, expect, it } from 'vitest';
import { useServer } from '../testing/useServer';
import { createWorld } from '../testing/clients';
import { makeGlb, makePdf, makePng } from '../testing/fixtures';

const server = useServer();

const api = async (path: string, body?: unknown) => {
  const res = await fetch(`${server().url}/api/v3${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
};

async function upload(worldId: string, name: string, bytes: Uint8Array): Promise<string> {
  const form = new FormData();
  form.set('world', worldId);
  form.set('file', new Blob([Buffer.from(bytes)]), name);
  const res = await fetch(`${server().url}/api/v3/documents`, { method: 'POST', body: form });
  expect(res.status).toBe(201);
  return ((await res.json()) as { document: { id: string } }).document.id;
}

async function runToEnd(workflowId: string, input: Record<string, unknown>) {
  let { run } = (await api(`/workflows/${workflowId}/runs`, { input })).body;
  const deadline = Date.now() + 30_000;
  while (!['succeeded', 'failed', 'cancelled'].includes(run.status)) {
    if (Date.now() > deadline) throw new Error(`the run did not finish: ${JSON.stringify(run.log)}`);
    await new Promise((r) => setTimeout(r, 50));
    run = (await api(`/runs/${run.id}`)).body.run;
  }
  return run;
}

// short lines: the fixture sets each page's text on one line in large type
const PAGES = [
  'Turbine inspection.',
  'Turbine blades eroded.',
  'Turbine gearbox worn.',
  'Kestrel Ridge turbine.',
  'Replace gearbox bearings.',
];

describe('reading documents in workflow steps', () => {
  it('analyses an uploaded multi-page PDF from its text, and counts its words', async () => {
    const world = await createWorld(server().url);
    const pdf = await upload(world.id, 'inspection.pdf', makePdf(PAGES));
    const { body } = await api('/workflows', {
      worldId: world.id,
      definition: {
        name: 'Read a PDF',
        steps: [
          { id: 'analyse', kind: 'ai_analysis', name: 'Analyse', params: {} },
          { id: 'count', kind: 'transform', name: 'Count', params: { operation: 'word_count' } },
        ],
      },
    });
    const run = await runToEnd(body.workflow.id, { worldId: world.id, documentId: pdf });
    expect(run.status, JSON.stringify(run.steps.map((s: any) => s.error))).toBe('succeeded');
    const analysis = run.steps[0].output;
    expect(analysis.summary.join(' ')).toMatch(/turbine/i);
    expect(analysis.keywords.map((k: { term: string }) => k.term.toLowerCase())).toContain('turbine');
    // every page was read, not only the first
    expect(run.steps[1].output.words).toBe(PAGES.join(' ').split(/\s+/).length);

    // the AI routes read the same text
    const direct = await api('/ai/analyze', { documentId: pdf });
    expect(direct.status).toBe(200);
    expect(direct.body.analysis.summary.join(' ')).toMatch(/gearbox|turbine/i);
  });

  it('fails a step on an image or a model once, saying what can be analysed', async () => {
    const world = await createWorld(server().url);
    const { body } = await api('/workflows', {
      worldId: world.id,
      definition: { name: 'Analyse', steps: [{ id: 'analyse', kind: 'ai_analysis', name: 'Analyse', params: {} }] },
    });
    for (const [name, bytes, what] of [
      ['photo.png', makePng(), 'an image'],
      ['part.glb', makeGlb(), 'a 3D model'],
    ] as const) {
      const id = await upload(world.id, name, bytes);
      const run = await runToEnd(body.workflow.id, { worldId: world.id, documentId: id });
      expect(run.status).toBe('failed');
      expect(run.steps[0].attempt).toBe(1);
      expect(run.steps[0].error).toEqual({
        code: 'UNSUPPORTED_TYPE',
        message: `"${name.replace(/\.\w+$/, '')}" is ${what}; analysis works on text, Markdown and PDF documents.`,
        retryable: false,
      });
    }
    // a document that is not there is not retried either
    const missing = await runToEnd(body.workflow.id, { worldId: world.id, documentId: 'nosuchdocument' });
    expect(missing.steps[0]).toMatchObject({ attempt: 1, error: { code: 'NOT_FOUND', retryable: false } });
  });
});
