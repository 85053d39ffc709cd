/**
 * Worlds as stored: their records, the templates they are created from, and the sample documents a
 * template places in a new world.
 */
import type { Quat, Vec3 } from '../protocol';
import type { GuestRole } from './roles';

export interface WorldRecord {
  id: string;
  name: string;
  template: WorldTemplateId;
  capacity: number;
  createdAt: string;
  /** The account that made it; absent for worlds made by guests, which nobody owns. */
  ownerId?: string;
  /** What people who are not members may do; absent means 'editor', as for worlds made by guests. */
  guestRole?: GuestRole;
}

/** A document a template places in every new world it makes; its body becomes the content. */
export interface SampleDocument {
  title: string;
  kind: 'markdown' | 'text';
  body: string;
  position: Vec3;
  rotation: Quat;
  scale: number;
}

export interface WorldTemplate {
  id: string;
  name: string;
  description: string;
  /** Colours of the room shell, as hex. */
  palette: { floor: string; walls: string; accent: string };
  /** Indoors: a room with walls, windows and a ceiling. Outdoors: open ground under the sky, bounded by the same square. */
  setting: 'indoor' | 'outdoor';
  samples: SampleDocument[];
  /** A stage on the floor: whoever stands on it is heard by everyone in the world, as with a megaphone. */
  stage?: Stage;
}

/** A round stage on the floor, by its centre and radius in metres. */
export interface Stage {
  x: number;
  z: number;
  radius: number;
}

/** Whether a head at `head` stands on the stage (seen from above: its height does not count). */
export function onStage(stage: Stage | undefined, head: readonly number[]): boolean {
  return !!stage && Math.hypot(head[0]! - stage.x, head[2]! - stage.z) <= stage.radius;
}

/** Half the width of the room shell, in metres (the room is a square). */
export const ROOM_HALF_SIZE = 8;
export const ROOM_HEIGHT = 4;
export const DEFAULT_CAPACITY = 32;
export const MAX_CAPACITY = 1000;

const facing = (yawDegrees: number): Quat => {
  const half = (yawDegrees * Math.PI) / 360;
  return [0, Math.sin(half), 0, Math.cos(half)];
};

const WELCOME = {
  title: 'Welcome',
  kind: 'markdown' as const,
  // one text for everyone, so it says what to do on each kind of device
  body: [
    '# Welcome',
    '**On a computer:** click a panel and drag to move it, release to drop it. WASD to walk, drag the view to look around.',
    '**In a VR headset:** point at a panel or reach to it and squeeze the grip to hold it up and read; let go to put it down. Squeeze with both hands to resize it. Push the thumbstick forward to teleport, sideways to turn.',
    '**On a phone (AR):** tap a table to place the workspace, then touch and hold a panel to pick it up.',
  ].join('\n\n'),
};

export const WORLD_TEMPLATES = {
  office: {
    id: 'office',
    setting: 'indoor',
    name: 'Virtual office',
    description: 'A meeting room with a contract and a process board on the walls.',
    palette: { floor: '#8a8f98', walls: '#e8e4dc', accent: '#2f6fde' },
    samples: [
      { ...WELCOME, position: [0, 1.6, -4], rotation: facing(0), scale: 1 },
      { title: 'Service contract', kind: 'markdown', body: '# Service contract\n1. Scope\n2. Payment terms\n3. Termination', position: [-2.5, 1.6, -4], rotation: facing(0), scale: 1 },
      { title: 'Process board', kind: 'text', body: 'Analyse → Anchor → Present', position: [2.5, 1.6, -4], rotation: facing(0), scale: 1 },
    ],
  },
  gallery: {
    id: 'gallery',
    setting: 'indoor',
    name: 'Gallery',
    description: 'A bright hall to hang documents along the walls.',
    palette: { floor: '#d9d2c5', walls: '#fafafa', accent: '#c0392b' },
    samples: [
      { ...WELCOME, position: [0, 1.6, -5], rotation: facing(0), scale: 1 },
      { title: 'Exhibit A', kind: 'text', body: 'Annual report, page 1', position: [-5, 1.6, 0], rotation: facing(90), scale: 1 },
      { title: 'Exhibit B', kind: 'text', body: 'Annual report, page 2', position: [5, 1.6, 0], rotation: facing(-90), scale: 1 },
    ],
  },
  classroom: {
    id: 'classroom',
    setting: 'indoor',
    name: 'Classroom',
    description: 'A board at the front and handouts on the side.',
    palette: { floor: '#7b6a58', walls: '#eef2f0', accent: '#27ae60' },
    samples: [
      { ...WELCOME, position: [0, 1.8, -5], rotation: facing(0), scale: 1.5 },
      { title: 'Lesson plan', kind: 'markdown', body: '# Lesson plan\n- Warm-up\n- Reading\n- Discussion', position: [-4, 1.5, -2], rotation: facing(45), scale: 1 },
    ],
    // around the lectern, the teacher's place
    stage: { x: -2.4, z: -5.2, radius: 1.3 },
  },
  plaza: {
    id: 'plaza',
    setting: 'outdoor',
    name: 'Plaza',
    description: 'An open square under the sky, with trees and benches, for a crowd.',
    palette: { floor: '#b8ad9c', walls: '#9fb39a', accent: '#d98c3f' },
    samples: [
      { ...WELCOME, position: [0, 1.6, -4], rotation: facing(0), scale: 1.2 },
      { title: 'Notice board', kind: 'markdown', body: '# Notice board\n- Town hall at noon\n- Bring your questions', position: [3, 1.6, -3], rotation: facing(-30), scale: 1 },
    ],
    // a speaker's corner for the town hall
    stage: { x: -4, z: -4, radius: 1.5 },
  },
  studio: {
    id: 'studio',
    setting: 'indoor',
    name: 'Empty studio',
    description: 'A bare, evenly lit room to furnish yourself.',
    palette: { floor: '#6f7378', walls: '#d6d8db', accent: '#6c5ce7' },
    samples: [{ ...WELCOME, position: [0, 1.6, -4], rotation: facing(0), scale: 1 }],
  },
} as const satisfies Record<string, WorldTemplate>;

export type WorldTemplateId = keyof typeof WORLD_TEMPLATES;
export const WORLD_TEMPLATE_IDS = Object.keys(WORLD_TEMPLATES) as WorldTemplateId[];

/** The stage of a world made from this template, if its template has one. */
export function stageOf(template: string): Stage | undefined {
  return (WORLD_TEMPLATES as Record<string, WorldTemplate>)[template]?.stage;
}
