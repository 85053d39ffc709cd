/**
 * What each template's place looks like, as data: surfaces, openings, fixtures, the light outside
 * and the light inside. The builders read nothing else, so a new template is one entry here.
 */
import { WORLD_TEMPLATES, type WorldTemplate } from '../../../shared/model/worlds';
import type { PanoramaSpec } from './panorama';
import type { SurfaceKind } from './surfaces';

/** A wall of the square room, named by the axis and sign of its outward normal. */
export type WallSide = 'x-' | 'x+' | 'z-' | 'z+';

export interface SurfaceLook {
  /** Base colour (hex); multiplies the painted surface when there is one. */
  colour: string;
  surface?: SurfaceKind;
  /** How many times the surface repeats across the 16 m room. */
  repeat?: number;
  roughness: number;
}

export interface Look {
  setting: WorldTemplate['setting'];
  floor: SurfaceLook;
  walls: SurfaceLook;
  ceiling: SurfaceLook;
  /** Outdoors: the ground beyond the square, out to the horizon. */
  outskirts?: SurfaceLook;
  /** Skirting, window frames and fixture tracks; outdoors, the kerb. */
  trim: SurfaceLook;
  /** A row of windows along part of one wall (metres along it, from its centre), with the city beyond. */
  windows?: { wall: WallSide; from: number; to: number; count: number; sill: number; head: number };
  /** A chalk board on one wall: metres along it and its bottom and top edges. */
  board?: { wall: WallSide; from: number; to: number; bottom: number; top: number };
  /** Light fittings on the ceiling: panels in a grid, or tracks of small spots (gallery). */
  fixtures: 'panels' | 'tracks' | 'none';
  /** Direction towards the main light (sun through the windows, or the plaza's sun), and its strength. */
  sun: { towards: [number, number, number]; intensity: number; colour: string };
  /** The light all around, from which reflections and ambient light come (see panorama.ts). */
  panorama: PanoramaSpec;
  /** Strength of that light on materials, and the camera exposure. */
  environmentIntensity: number;
  exposure: number;
}

export type TemplateId = keyof typeof WORLD_TEMPLATES;

const SKY_DAY: PanoramaSpec = { zenith: [0.35, 0.55, 1.1], horizon: [1.1, 1.15, 1.2], ground: [0.35, 0.33, 0.3] };

export const LOOKS: Record<TemplateId, Look> = {
  office: {
    setting: 'indoor',
    floor: { colour: '#d9d2ca', surface: 'planks', repeat: 8, roughness: 0.55 },
    walls: { colour: WORLD_TEMPLATES.office.palette.walls, roughness: 0.9 },
    ceiling: { colour: '#f4f3ef', roughness: 0.95 },
    trim: { colour: '#3a3f47', roughness: 0.5 },
    windows: { wall: 'x-', from: -6, to: 6, count: 4, sill: 0.9, head: 3.3 },
    fixtures: 'panels',
    sun: { towards: [-0.65, 0.6, 0.3], intensity: 1.1, colour: '#fff4e0' },
    panorama: { zenith: [1.4, 1.4, 1.35], horizon: [0.7, 0.68, 0.64], ground: [0.75, 0.7, 0.62], windows: { azimuth: Math.PI, halfWidth: 1.1, low: -0.05, high: 0.6, radiance: [3.2, 3.5, 4] }, ceilingLights: { above: 0.9, radiance: [5, 5, 4.8], count: 4 } },
    environmentIntensity: 0.85,
    exposure: 0.9,
  },
  gallery: {
    setting: 'indoor',
    floor: { colour: '#ffffff', surface: 'paleBoards', repeat: 6, roughness: 0.4 },
    walls: { colour: '#f7f7f5', roughness: 0.92 },
    ceiling: { colour: '#ffffff', roughness: 0.95 },
    trim: { colour: '#2b2b2b', roughness: 0.4 },
    fixtures: 'tracks',
    sun: { towards: [0.25, 1, 0.35], intensity: 1.2, colour: '#ffffff' },
    panorama: { zenith: [1.3, 1.3, 1.3], horizon: [0.8, 0.8, 0.78], ground: [0.5, 0.46, 0.4], ceilingLights: { above: 1, radiance: [5, 4.8, 4.5], count: 6 } },
    environmentIntensity: 0.85,
    exposure: 0.95,
  },
  classroom: {
    setting: 'indoor',
    floor: { colour: '#d9d2ca', surface: 'planks', repeat: 7, roughness: 0.6 },
    walls: { colour: WORLD_TEMPLATES.classroom.palette.walls, roughness: 0.9 },
    ceiling: { colour: '#f5f5f0', roughness: 0.95 },
    trim: { colour: '#5d6b63', roughness: 0.6 },
    windows: { wall: 'x+', from: -6.5, to: 1.5, count: 3, sill: 1, head: 3.2 },
    board: { wall: 'z-', from: -3.6, to: 3.6, bottom: 0.9, top: 2.3 },
    fixtures: 'panels',
    sun: { towards: [0.65, 0.6, -0.3], intensity: 1.1, colour: '#fff2dc' },
    panorama: { zenith: [1.3, 1.3, 1.25], horizon: [0.7, 0.72, 0.68], ground: [0.75, 0.7, 0.62], windows: { azimuth: 0, halfWidth: 0.9, low: 0, high: 0.6, radiance: [3.2, 3.5, 4] }, ceilingLights: { above: 0.9, radiance: [5, 5, 4.8], count: 4 } },
    environmentIntensity: 0.85,
    exposure: 0.9,
  },
  plaza: {
    setting: 'outdoor',
    floor: { colour: '#ffffff', surface: 'paving', repeat: 5, roughness: 0.85 },
    walls: { colour: '#b9b6b0', roughness: 0.85 },
    ceiling: { colour: '#ffffff', roughness: 1 },
    outskirts: { colour: '#ffffff', surface: 'grass', repeat: 40, roughness: 0.95 },
    trim: { colour: '#a9a49a', roughness: 0.8 },
    fixtures: 'none',
    sun: { towards: [0.5, 0.75, 0.35], intensity: 2.6, colour: '#fff1d6' },
    panorama: { ...SKY_DAY, sun: { towards: [0.5, 0.75, 0.35], radiance: [40, 38, 34], radius: 0.06 } },
    environmentIntensity: 0.9,
    exposure: 1,
  },
  studio: {
    setting: 'indoor',
    floor: { colour: '#ffffff', surface: 'concrete', repeat: 4, roughness: 0.3 },
    walls: { colour: WORLD_TEMPLATES.studio.palette.walls, roughness: 0.9 },
    ceiling: { colour: '#eeeeee', roughness: 0.95 },
    trim: { colour: '#8c8f94', roughness: 0.6 },
    fixtures: 'panels',
    sun: { towards: [0.2, 1, 0.15], intensity: 1, colour: '#ffffff' },
    panorama: { zenith: [1.8, 1.8, 1.8], horizon: [1, 1, 1], ground: [0.45, 0.45, 0.45], ceilingLights: { above: 1, radiance: [4, 4, 4], count: 8 } },
    environmentIntensity: 0.85,
    exposure: 0.9,
  },
};

/** The look of a template; an unknown id (an old world, a newer server) gets the office. */
export function lookOf(templateId: string): Look {
  const looks: Record<string, Look> = LOOKS;
  return looks[templateId] ?? LOOKS.office;
}

/** The shell colours of a template (the room's palette), office when the id is unknown. */
export function paletteOf(templateId: string): WorldTemplate['palette'] {
  const templates: Record<string, WorldTemplate> = WORLD_TEMPLATES;
  return (templates[templateId] ?? WORLD_TEMPLATES.office).palette;
}
